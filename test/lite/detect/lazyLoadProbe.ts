// Run as a child process by detector.test.ts (a fresh process, so tfjs starts from nothing):
// reports whether tfjs is loaded after creating a detector (it must not be) and after its first
// detect (it must be), which backend it got, what it logged, and whether process-wide error
// handlers were left behind. tfjs-core creates globalThis._tfengine when first evaluated.
// Optional argv[2]: a folder to look for the .wasm binaries in (an empty one forces the fallback);
// argv[3] = 'load-only' loads without detecting (the cpu fallback takes tens of seconds a frame);
// argv[4]: the runtime (default tfjs; with onnxruntime, tfjs must stay unloaded after a detect too).
// Also reports how many onnxruntime sessions were opened.
import { createDetector } from '../../../src/engine/lite/detect/createDetector';
import { sharedOrtThread } from '../../../src/engine/lgvi/pack/ortThread';

const loaded = () => '_tfengine' in globalThis;
const handlers = () => process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');
const logs: string[] = [];
const handlersBefore = handlers();
const runtime = (process.argv[4] || 'tfjs') as 'tfjs' | 'onnxruntime';
const detector = createDetector({ runtime, wasmDir: process.argv[2] || undefined, log: (m) => logs.push(m) });
const afterCreate = loaded();
const infoBefore = detector.info();
const found =
  process.argv[3] === 'load-only'
    ? (await detector.load(), null)
    : await detector.detect({ width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(128) }, 0);
console.log(
  JSON.stringify({ afterCreate, infoBefore, afterDetect: loaded(), infoAfter: detector.info(), found, logs, handlersAdded: handlers() - handlersBefore, sessionsOpened: sharedOrtThread().stats.sessionsOpened }),
);
detector.dispose();

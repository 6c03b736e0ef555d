// Run as a child process by detector.test.ts: prints whether tfjs is loaded after creating a
// detector (it must not be) and after its first detect (it must be). tfjs-core creates its
// global engine (globalThis._tfengine) when its module is first evaluated.
import { createDetector } from '../../../src/engine/lite/detect/createDetector';

const loaded = () => '_tfengine' in globalThis;
const detector = createDetector();
const afterCreate = loaded();
const info = detector.info();
await detector.detect({ width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(128) }, 0);
console.log(JSON.stringify({ afterCreate, infoBefore: info, afterDetect: loaded(), infoAfter: detector.info() }));
detector.dispose();

// The second detector lane's thread (sharedDetector.ts): the same detector as the engine's own,
// with its own tfjs and model, run on frames the main thread hands over. Runs as a worker entry,
// so it imports only plain engine modules.
import { parentPort, workerData } from 'node:worker_threads';
import { createDetector, type DetectorOptions } from './createDetector';
import type { DetectReply, DetectRequest } from './sharedDetector';

const port = parentPort;
if (!port) throw new Error('detectorThread must run as a worker thread');
const detector = createDetector(workerData as DetectorOptions);
// Loading starts with the thread, so the model is ready by the time the first frame arrives.
const ready = detector.load().catch(() => undefined); // a failed load fails detect() too, with its reason

port.on('message', async (job: DetectRequest) => {
  await ready;
  try {
    const found = await detector.detect({ width: job.width, height: job.height, data: job.data }, job.frameIndex);
    const reply: DetectReply = { id: job.id, detections: found };
    port.postMessage(reply);
  } catch (e) {
    const reply: DetectReply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
    port.postMessage(reply);
  }
});

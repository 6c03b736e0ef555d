// The compositor's thread (windows/compositor.ts): turns one frame's soft mask into its source-size
// matte and puts the generated picture over the source frame. Runs as a worker entry, so it
// imports only plain engine modules.
import { parentPort } from 'node:worker_threads';
import { compositeFrame } from './compositeFrame';
import type { CompositeReply, CompositeRequest } from './compositor';
import { boundMatte, sourceMatte } from './removalMatte';

const port = parentPort;
if (!port) throw new Error('compositorWorker must run as a worker thread');

port.on('message', (job: CompositeRequest) => {
  try {
    const m = sourceMatte(job.mask, job.maskWidth, job.maskHeight, job.source.width, job.source.height, job.matte);
    // Picked objects' boxes bound the composite (never with full frame: the controller refuses that pair).
    const region = job.bounds && m.region ? boundMatte(m.alpha.data, job.source.width, job.source.height, m.region, job.bounds) : job.bounds ? undefined : m.region;
    const out = compositeFrame(job.source, job.fill, job.fillWidth, job.fillHeight, m.alpha, region, job.fullFrame);
    const reply: CompositeReply = { id: job.id, data: out.data, alpha: m.alpha.data, coverage: m.coverage };
    port.postMessage(reply, [out.data.buffer as ArrayBuffer, m.alpha.data.buffer as ArrayBuffer]);
  } catch (e) {
    const reply: CompositeReply = { id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(reply);
  }
});

// The compositor's thread (windows/compositor.ts): turns one frame's soft mask into its source-size
// matte and puts the generated picture over the source frame. Runs as a worker entry, so it
// imports only plain engine modules.
import { parentPort } from 'node:worker_threads';
import { compositeFrame } from './compositeFrame';
import type { CompositeReply, CompositeRequest } from './compositor';
import { sourceMatte } from './removalMatte';

const port = parentPort;
if (!port) throw new Error('compositorWorker must run as a worker thread');

port.on('message', (job: CompositeRequest) => {
  try {
    const m = sourceMatte(job.mask, job.maskWidth, job.maskHeight, job.source.width, job.source.height, job.matte);
    const out = compositeFrame(job.source, job.fill, job.fillWidth, job.fillHeight, m.alpha, m.region, job.fullFrame);
    const reply: CompositeReply = { id: job.id, data: out.data, alpha: m.alpha.data, coverage: m.coverage };
    port.postMessage(reply, [out.data.buffer as ArrayBuffer, m.alpha.data.buffer as ArrayBuffer]);
  } catch (e) {
    const reply: CompositeReply = { id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    port.postMessage(reply);
  }
});

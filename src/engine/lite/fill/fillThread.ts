// A fill thread (fillThreads.ts): holds the window it was sent (shared memory, no copy) and takes
// frames of each stage from the shared counter until none is left. Runs as a worker entry, so it
// imports only plain engine modules.
import { parentPort } from 'node:worker_threads';
import { runStageAt, type StageParamsOf } from './fillStages';
import type { FillThreadReply, FillThreadRequest } from './fillThreads';
import { fillWindowOf, type FillWindow } from './fillWindow';

const port = parentPort;
if (!port) throw new Error('fillThread must run as a worker thread');
const windows = new Map<number, FillWindow>();

port.on('message', (job: FillThreadRequest) => {
  if (job.kind === 'window') {
    windows.set(job.window, fillWindowOf(job.transfer));
    return;
  }
  if (job.kind === 'release') {
    windows.delete(job.window);
    return;
  }
  if (job.kind === 'hello') {
    port.postMessage({ id: job.id } satisfies FillThreadReply);
    return;
  }
  const results: [number, unknown][] = [];
  try {
    const w = windows.get(job.window);
    if (!w) throw new Error(`no window ${job.window} on this thread`);
    const { start, end } = job.span;
    for (let k = Atomics.add(job.counter, 0, 1); k < end - start; k = Atomics.add(job.counter, 0, 1)) results.push([k, runStageAt(w, job.stage, start + k, job.params as StageParamsOf<typeof job.stage>)]);
    port.postMessage({ id: job.id, results } satisfies FillThreadReply);
  } catch (e) {
    Atomics.store(job.counter, 0, 2 ** 31 - 1); // the other threads stop taking frames
    port.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) } satisfies FillThreadReply);
  }
});

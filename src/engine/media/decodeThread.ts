// The decode thread (framesOnThread.ts): runs decodeFrames for the main thread and hands each frame
// over as it arrives, its buffer moved, not copied. Off the main thread, ffmpeg's pipe is drained
// while the main thread computes, so a window read ahead is really read ahead. Runs as a worker
// entry, so it imports only plain engine modules.
import { parentPort } from 'node:worker_threads';
import { LacunaError } from '../util/errors';
import { decodeFrames } from './decode';
import type { DecodeReply, DecodeRequest } from './framesOnThread';

const port = parentPort;
if (!port) throw new Error('decodeThread must run as a worker thread');
/** Decodes under way, by request id, so a stop can reach them. */
const running = new Map<number, AbortController>();

port.on('message', async (job: DecodeRequest) => {
  if (job.kind === 'stop') {
    running.get(job.target)?.abort();
    return;
  }
  const stop = new AbortController();
  running.set(job.id, stop);
  try {
    for await (const frame of decodeFrames(job.media, { ...job.options, signal: stop.signal })) {
      // readRawFrames gives each frame a buffer of its own; anything else is copied first.
      const data = frame.data.byteOffset === 0 && frame.data.byteLength === frame.data.buffer.byteLength ? frame.data : frame.data.slice();
      port.postMessage({ id: job.id, update: { ...frame, data } } satisfies DecodeReply, [data.buffer as ArrayBuffer]);
    }
    port.postMessage({ id: job.id } satisfies DecodeReply);
  } catch (e) {
    const error = e instanceof LacunaError ? { code: e.code, message: e.message, hint: e.hint, detail: e.detail } : { message: e instanceof Error ? e.message : String(e) };
    port.postMessage({ id: job.id, error } satisfies DecodeReply);
  } finally {
    running.delete(job.id);
  }
});

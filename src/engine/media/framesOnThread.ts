// Decoding on a thread of its own. decodeFrames reads ffmpeg's pipe on the thread that iterates it,
// and Lite's main thread computes for seconds at a time without giving its event loop a turn: a
// window "read ahead" that way stalled with ffmpeg blocked on a full pipe, then was read in a burst
// once the fill was done (2-3 s per 1080p window, while the fill's other thread idled). Here a
// worker (decodeThread.ts) drains the pipe as fast as ffmpeg writes, and the frames wait in this
// thread's message queue, their buffers moved, not copied, until it takes them.
import type { Worker } from 'node:worker_threads';
import { LacunaError, throwIfAborted, type LacunaErrorCode } from '../util/errors';
import { startModuleWorker } from '../util/moduleWorker';
import { WorkerCalls } from '../util/workerCalls';
import type { DecodeOptions } from './decode';
import type { Frame, MediaInfo } from './types';

/** What the thread is asked: a decode (decodeFrames' options, less the signal), or to stop one. */
export type DecodeRequest = { id: number; kind: 'decode'; media: MediaInfo; options: Omit<DecodeOptions, 'signal'> } | { id: number; kind: 'stop'; target: number };

/** A decoded frame (`update`), the decode's end (neither field), or its failure. */
export interface DecodeReply {
  id: number;
  update?: Frame;
  error?: { code?: LacunaErrorCode; message: string; hint?: string; detail?: string };
}

export interface DecodeThread {
  /** Every frame decodeFrames gives for these options, in order; fails as it would (CANCELLED when the signal aborts). */
  readAll(media: MediaInfo, options: DecodeOptions): Promise<Frame[]>;
  /** Ends the thread (a decode under way fails). */
  dispose(): void;
}

/**
 * A decode thread, started on the first read. It is unreferenced while idle, so it never keeps a
 * finished process alive; decodes asked of it run one after another, in the order asked.
 */
export function createDecodeThread(): DecodeThread {
  const calls = new WorkerCalls<DecodeReply>('the decode thread', () => {
    if (calls.waiting === 0) worker?.unref();
  });
  let worker: Worker | undefined;
  let disposed = false;
  const thread = (): Worker => {
    if (worker) return worker;
    const w = startModuleWorker(import.meta.url, 'decodeThread');
    calls.attach(w, { isCurrent: () => worker === w, onLost: () => (worker = undefined) });
    worker = w;
    return w;
  };
  return {
    async readAll(media, options) {
      if (disposed) throw new Error('decode thread used after dispose()');
      const { signal, ...rest } = options;
      throwIfAborted(signal, `decoding ${media.path}`);
      const w = thread();
      w.ref();
      const frames: Frame[] = [];
      const id = calls.nextCallId;
      const stop = () => w.postMessage({ id: 0, kind: 'stop', target: id } satisfies DecodeRequest);
      signal?.addEventListener('abort', stop, { once: true });
      try {
        const reply = await calls.call(w, { id: 0, kind: 'decode', media, options: rest } satisfies DecodeRequest, [], (frame) => frames.push(frame));
        if (reply.error) {
          const e = reply.error;
          throw e.code ? new LacunaError(e.code, e.message, e.hint, e.detail ? { detail: e.detail } : undefined) : new Error(e.message);
        }
        return frames;
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    },
    dispose() {
      disposed = true;
      const w = worker;
      worker = undefined;
      void w?.terminate();
    },
  };
}

// Matte and composite of finished frames, off the thread that drives the sampler. Both are
// per-pixel work at source resolution (tens of milliseconds a frame at 1080p, more at 4K); done
// on the event loop they would hold back the sampler between model runs, so the model would sit
// idle while frames are composited. Here they run in worker threads (compositorWorker.ts) and the
// event loop only hands frames over: the source frame's bytes move to a worker and the
// composited frame's come back, without copies.
//
// Several workers, started as the work needs them: after the model's last run, a job's last
// window (24 frames or more) is still to be composited, and on one thread that tail was most of a
// short clip's host time. Frames are independent, so they go to whichever worker is least busy;
// the caller keeps their order.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Frame } from '../../media/types';
import { startModuleWorker } from '../../util/moduleWorker';
import { WorkerCalls } from '../../util/workerCalls';
import type { MatteBound, MatteOptions } from './removalMatte';

export interface CompositeRequest {
  readonly id: number;
  /** The decoded source frame (its buffer is moved to the worker). */
  readonly source: Frame;
  /** Generated picture, interleaved RGB 0..255 floats at fillWidth x fillHeight (copied). */
  readonly fill: Float32Array;
  readonly fillWidth: number;
  readonly fillHeight: number;
  /** The frame's smoothed soft mask, maskWidth x maskHeight (copied). */
  readonly mask: Float32Array;
  readonly maskWidth: number;
  readonly maskHeight: number;
  readonly matte: MatteOptions;
  readonly fullFrame: boolean;
  /** Where the matte may be non-zero (source pixels); undefined: anywhere. */
  readonly bounds?: readonly MatteBound[];
}

export type CompositeReply = { id: number; error: string } | { id: number; error?: undefined; data: Uint8Array; alpha: Uint8Array; coverage: number };

export interface CompositedFrame {
  /** The take's frame: the source with the fill put over it where the matte says. */
  readonly frame: Frame;
  /** The matte at source size (0 keeps the source, 255 takes the fill), for the matte file. */
  readonly alpha: Frame;
  /** Fraction of the frame the mask head marked. */
  readonly coverage: number;
}

/** Worker threads a compositor uses at most: the machine's cores, up to four (beyond, the pipes to ffmpeg are the limit). */
export function defaultCompositorThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

interface CompositorThread {
  worker: Worker | undefined;
  readonly calls: WorkerCalls<CompositeReply>;
}

export class Compositor {
  private readonly threads: CompositorThread[];

  constructor(
    private readonly matte: MatteOptions,
    private readonly fullFrame: boolean,
    /** Worker threads at most (started only as frames wait for one). */
    readonly parallelism = defaultCompositorThreads(),
  ) {
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new Error(`Compositor: parallelism must be a whole number of threads, got ${parallelism}`);
    this.threads = Array.from({ length: parallelism }, () => ({ worker: undefined, calls: new WorkerCalls<CompositeReply>('the compositing thread') }));
  }

  /** Worker threads started so far. */
  get started(): number {
    return this.threads.filter((t) => t.worker).length;
  }

  /** Composites `source` (whose buffer is handed over: do not use it afterwards). */
  async composite(
    source: Frame,
    fill: Float32Array,
    fillWidth: number,
    fillHeight: number,
    mask: Float32Array,
    maskWidth: number,
    maskHeight: number,
    bounds?: readonly MatteBound[],
  ): Promise<CompositedFrame> {
    const request: CompositeRequest = { id: 0, source, fill, fillWidth, fillHeight, mask, maskWidth, maskHeight, matte: this.matte, fullFrame: this.fullFrame, ...(bounds && { bounds }) };
    const thread = this.pick();
    const reply = await thread.calls.call(this.start(thread), request, [source.data.buffer as ArrayBuffer]);
    if (reply.error !== undefined) throw new Error(`compositing frame ${source.index}: ${reply.error}`);
    return {
      frame: { ...source, data: reply.data },
      alpha: { ...source, channels: 1, data: reply.alpha },
      coverage: reply.coverage,
    };
  }

  /** Ends the workers; frames still being composited fail. */
  async close(): Promise<void> {
    await Promise.all(
      this.threads.map(async (t) => {
        const worker = t.worker;
        t.worker = undefined;
        if (worker) await worker.terminate();
      }),
    );
  }

  /** An idle started thread, else a thread not started yet, else the least busy one. */
  private pick(): CompositorThread {
    const started = this.threads.filter((t) => t.worker);
    return started.find((t) => t.calls.waiting === 0) ?? this.threads.find((t) => !t.worker) ?? started.reduce((a, b) => (b.calls.waiting < a.calls.waiting ? b : a));
  }

  private start(thread: CompositorThread): Worker {
    if (thread.worker) return thread.worker;
    const worker = startModuleWorker(import.meta.url, 'compositorWorker');
    thread.calls.attach(worker, { onLost: () => thread.worker === worker && (thread.worker = undefined) });
    thread.worker = worker;
    return worker;
  }
}

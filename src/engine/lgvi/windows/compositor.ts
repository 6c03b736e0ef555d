// Matte and composite of finished frames, off the thread that drives the sampler. Both are
// per-pixel work at source resolution (tens of milliseconds a frame at 1080p, more at 4K); done
// on the event loop they would hold back the sampler between model runs, so the model would sit
// idle while frames are composited. Here they run in a worker thread (compositorWorker.ts) and the
// event loop only hands frames over: the source frame's bytes move to the worker and the
// composited frame's come back, without copies.
import type { Worker } from 'node:worker_threads';
import type { Frame } from '../../media/types';
import { startModuleWorker } from '../../util/moduleWorker';
import { WorkerCalls } from '../../util/workerCalls';
import type { MatteOptions } from './removalMatte';

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

export class Compositor {
  private worker: Worker | undefined;
  private readonly calls = new WorkerCalls<CompositeReply>('the compositing thread');

  constructor(
    private readonly matte: MatteOptions,
    private readonly fullFrame: boolean,
  ) {}

  /** Composites `source` (whose buffer is handed over: do not use it afterwards). */
  async composite(source: Frame, fill: Float32Array, fillWidth: number, fillHeight: number, mask: Float32Array, maskWidth: number, maskHeight: number): Promise<CompositedFrame> {
    const request: CompositeRequest = { id: 0, source, fill, fillWidth, fillHeight, mask, maskWidth, maskHeight, matte: this.matte, fullFrame: this.fullFrame };
    const reply = await this.calls.call(this.start(), request, [source.data.buffer as ArrayBuffer]);
    if (reply.error !== undefined) throw new Error(`compositing frame ${source.index}: ${reply.error}`);
    return {
      frame: { ...source, data: reply.data },
      alpha: { ...source, channels: 1, data: reply.alpha },
      coverage: reply.coverage,
    };
  }

  /** Ends the worker; frames still being composited fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startModuleWorker(import.meta.url, 'compositorWorker');
    this.calls.attach(worker, { onLost: () => this.worker === worker && (this.worker = undefined) });
    this.worker = worker;
    return worker;
  }
}

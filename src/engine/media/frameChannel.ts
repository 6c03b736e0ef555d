// A hand-off between one producer and one consumer of frames with backpressure: the producer's
// push waits while `capacity` frames are queued, the consumer iterates. It lets one loop feed two
// encoders (the take and its matte) at once, each in its own ffmpeg, without holding more than a
// couple of frames. If the consumer stops early (its ffmpeg failed), later pushes reject instead
// of waiting for ever.
import type { Frame } from './types';

export class FrameChannel implements AsyncIterable<Frame> {
  private readonly queue: Frame[] = [];
  private ended = false;
  private failure: unknown;
  private closedByConsumer = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly capacity = 2) {}

  /** Queues a frame; resolves once there is room for the next. Rejects if the consumer has gone. */
  async push(frame: Frame): Promise<void> {
    if (this.closedByConsumer) throw new Error('the frame consumer stopped early');
    this.queue.push(frame);
    this.wake('consumer');
    while (this.queue.length >= this.capacity && !this.closedByConsumer) {
      await new Promise<void>((r) => (this.wakeProducer = r));
    }
    if (this.closedByConsumer) throw new Error('the frame consumer stopped early');
  }

  /** No more frames: the consumer's loop ends after the queued ones. */
  end(): void {
    this.ended = true;
    this.wake('consumer');
  }

  /** The producer failed: the consumer's next read throws `error`. */
  fail(error: unknown): void {
    this.failure = error ?? new Error('frame producer failed');
    this.wake('consumer');
  }

  private wake(who: 'consumer' | 'producer'): void {
    const f = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    f?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Frame> {
    try {
      for (;;) {
        if (this.failure !== undefined) throw this.failure;
        const frame = this.queue.shift();
        if (frame) {
          this.wake('producer');
          yield frame;
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((r) => (this.wakeConsumer = r));
      }
    } finally {
      this.closedByConsumer = true;
      this.queue.length = 0;
      this.wake('producer');
    }
  }
}

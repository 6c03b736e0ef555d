// A hand-off between one producer and one consumer with backpressure: the producer's push waits
// while `capacity` items are queued, the consumer iterates. Two loops that run at different
// paces (sampling and compositing, compositing and an encoder's ffmpeg) each keep going without
// either holding more than `capacity` items. If the consumer stops early (it failed), later
// pushes reject instead of waiting for ever; if the producer fails, the consumer's next read
// throws its error.
/** The message of a push refused because the reader went away. */
export const CONSUMER_GONE = 'the consumer stopped early';

export class AsyncChannel<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private ended = false;
  private failure: unknown;
  private closedByConsumer = false;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly capacity = 2) {}

  /** Queues an item; resolves once there is room for the next. Rejects if the consumer has gone. */
  async push(item: T): Promise<void> {
    if (this.closedByConsumer) throw new Error(CONSUMER_GONE);
    this.queue.push(item);
    this.wake('consumer');
    while (this.queue.length >= this.capacity && !this.closedByConsumer) {
      await new Promise<void>((r) => (this.wakeProducer = r));
    }
    if (this.closedByConsumer) throw new Error(CONSUMER_GONE);
  }

  /**
   * The consumer is done (also when it never started iterating): queued items are dropped, a
   * waiting reader ends, and the producer's pending and later pushes reject, so a producer
   * blocked on a full channel stops.
   */
  close(): void {
    this.closedByConsumer = true;
    this.ended = true;
    this.queue.length = 0;
    this.wake('producer');
    this.wake('consumer');
  }

  /** No more items: the consumer's loop ends after the queued ones. */
  end(): void {
    this.ended = true;
    this.wake('consumer');
  }

  /** The producer failed: the consumer's next read throws `error`. */
  fail(error: unknown): void {
    this.failure = error ?? new Error('the producer failed');
    this.wake('consumer');
  }

  private wake(who: 'consumer' | 'producer'): void {
    const f = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    f?.();
  }

  /**
   * A hand-written iterator rather than a generator: a generator's `finally` runs only once it
   * has started, so a consumer that gave up before its first read (an encoder that failed at
   * start) could not release a producer blocked on a full channel. Here `return()` always
   * closes the channel, started or not.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    const next = async (): Promise<IteratorResult<T>> => {
      for (;;) {
        if (this.failure !== undefined) {
          const failure = this.failure;
          this.close();
          throw failure;
        }
        if (this.queue.length > 0) {
          const item = this.queue.shift()!;
          this.wake('producer');
          return { done: false, value: item };
        }
        if (this.ended) {
          this.close();
          return { done: true, value: undefined };
        }
        await new Promise<void>((r) => (this.wakeConsumer = r));
      }
    };
    return {
      next,
      return: async () => {
        this.close();
        return { done: true, value: undefined };
      },
    };
  }
}

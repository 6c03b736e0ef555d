import { AsyncChannel } from './asyncChannel';

/**
 * `source` pulled ahead of its consumer: while the consumer works on one item, the next is being
 * produced (at most `capacity` items wait). A chain of async generators runs only as fast as its
 * slowest pull: Lite's next window was not filled until the encoder had taken every frame of the
 * last one, so at each window's end the fill stood still while ffmpeg drained its pipe.
 *
 * Failures travel both ways: the source's error is the consumer's next read; a consumer that stops
 * early (it failed, or broke off) makes the pump stop and `return()` the source, so its `finally`
 * blocks run. The pump starts on the consumer's first read, never before.
 */
export function readAhead<T>(source: AsyncIterable<T>, capacity = 1): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const channel = new AsyncChannel<T>(capacity);
      void pump(source[Symbol.asyncIterator](), channel);
      return channel[Symbol.asyncIterator]();
    },
  };
}

async function pump<T>(it: AsyncIterator<T>, channel: AsyncChannel<T>): Promise<void> {
  for (;;) {
    let r: IteratorResult<T>;
    try {
      r = await it.next();
    } catch (e) {
      channel.fail(e); // a source that threw is over
      return;
    }
    if (r.done) {
      channel.end();
      return;
    }
    try {
      await channel.push(r.value);
    } catch {
      break; // the consumer went away (CONSUMER_GONE)
    }
  }
  // Let the source clean up (a generator's finally) before the pump goes.
  await Promise.resolve(it.return?.()).catch(() => undefined);
}

// AsyncChannel's consumer-side close: a producer blocked on a full channel must stop even when
// the consumer never started reading (the sampler failed before asking for its first image).
import { describe, expect, it } from 'vitest';
import { AsyncChannel } from '../../src/engine/util/asyncChannel';

describe('AsyncChannel.close', () => {
  it('rejects a push blocked on a full channel nobody has read from', async () => {
    const channel = new AsyncChannel<number>(2);
    await channel.push(1);
    let settled: string | undefined;
    const blocked = channel.push(2).then(
      () => (settled = 'resolved'),
      (e: Error) => (settled = e.message),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBeUndefined(); // full: the producer waits
    channel.close();
    await blocked;
    expect(settled).toMatch(/consumer stopped/);
    await expect(channel.push(3)).rejects.toThrow(/consumer stopped/);
  });

  it('ends a reader that is waiting, dropping what was queued', async () => {
    const channel = new AsyncChannel<number>(4);
    await channel.push(1);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const v of channel) {
        seen.push(v);
        if (v === 1) channel.close();
      }
    })();
    await reading;
    expect(seen).toEqual([1]);
  });
});

describe('AsyncChannel iterator return', () => {
  it('releases a blocked producer even when the reader gave up before its first read', async () => {
    const channel = new AsyncChannel<number>(1);
    const blocked = channel.push(1).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    const reader = channel[Symbol.asyncIterator]();
    await reader.return!();
    expect(await blocked).toMatch(/consumer stopped/);
  });
});

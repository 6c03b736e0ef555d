import { describe, expect, it } from 'vitest';
import { readAhead } from '../../src/engine/util/readAhead';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('readAhead', () => {
  it('produces the next item while the consumer works on this one, at most `capacity` ahead', async () => {
    const log: string[] = [];
    async function* source() {
      for (let i = 0; i < 4; i++) {
        log.push(`make ${i}`);
        await tick();
        log.push(`made ${i}`);
        yield i;
      }
    }
    const got: number[] = [];
    for await (const v of readAhead(source(), 1)) {
      log.push(`use ${v}`);
      await tick();
      await tick();
      await tick();
      log.push(`done ${v}`);
      got.push(v);
    }
    expect(got).toEqual([0, 1, 2, 3]);
    // Item 1 was made while item 0 was in use (a plain pull makes it only once item 0 is done).
    expect(log.indexOf('made 1')).toBeLessThan(log.indexOf('done 0'));
    // Never more than one item waiting: item 2 is not started before item 0 is taken.
    expect(log.indexOf('make 2')).toBeGreaterThan(log.indexOf('use 0'));
  });

  it('hands the source\'s failure to the consumer', async () => {
    async function* source() {
      yield 1;
      throw new Error('the fill failed');
    }
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const v of readAhead(source())) got.push(v);
      })(),
    ).rejects.toThrow('the fill failed');
    expect(got).toEqual([1]);
  });

  it('stops the source and runs its finally when the consumer breaks off', async () => {
    let cleaned = false;
    let made = 0;
    async function* source() {
      try {
        for (;;) {
          made++;
          await tick();
          yield made;
        }
      } finally {
        cleaned = true;
      }
    }
    for await (const v of readAhead(source())) if (v === 2) break;
    for (let i = 0; i < 20 && !cleaned; i++) await tick();
    expect(cleaned).toBe(true);
    expect(made).toBeLessThanOrEqual(4); // it did not run on
  });

  it('does not start the source before the first read', async () => {
    let started = false;
    async function* source() {
      started = true;
      yield 1;
    }
    const ahead = readAhead(source());
    await tick();
    expect(started).toBe(false);
    for await (const v of ahead) expect(v).toBe(1);
    expect(started).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { binaryTo255, countSet, wordsOf } from '../../src/engine/image/byteWords';
import { seededRandom } from '../lite/track/seededRandom';


/** A view of `length` bytes at `offset` into a buffer whose other bytes are 9 (never to be read or written). */
function viewAt(length: number, offset: number): Uint8Array {
  const all = new Uint8Array(length + 8).fill(9);
  return new Uint8Array(all.buffer, offset, length);
}

describe('byte words', () => {
  it('wordsOf refuses views it cannot read as words', () => {
    expect(wordsOf(viewAt(8, 1))).toBeNull();
    expect(wordsOf(viewAt(6, 0))).toBeNull();
    expect(wordsOf(viewAt(8, 4))?.length).toBe(2);
  });

  it('countSet is the plain sum on sparse and dense planes, aligned and not', () => {
    const rand = seededRandom(3);
    for (let c = 0; c < 300; c++) {
      const v = viewAt(1 + Math.floor(rand() * 97), Math.floor(rand() * 4));
      const density = rand();
      for (let i = 0; i < v.length; i++) v[i] = rand() < density ? Math.floor(rand() * 256) : 0;
      let plain = 0;
      for (let i = 0; i < v.length; i++) plain += v[i];
      expect(countSet(v)).toBe(plain);
    }
  });

  it('binaryTo255 gives 255 where the source is non-zero and 0 elsewhere, and writes nothing outside the view', () => {
    const rand = seededRandom(5);
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(rand() * 97);
      const from = viewAt(n, Math.floor(rand() * 4));
      const out = viewAt(n, Math.floor(rand() * 4));
      out.fill(7); // stale bytes a pooled buffer holds: every one is written
      const density = rand();
      for (let i = 0; i < n; i++) from[i] = rand() < density ? 1 + Math.floor(rand() * 255) : 0;
      binaryTo255(from, out);
      expect(Array.from(out)).toEqual(Array.from(from, (b) => (b ? 255 : 0)));
      const around = new Uint8Array(out.buffer);
      for (let i = 0; i < around.length; i++) if (i < out.byteOffset || i >= out.byteOffset + n) expect(around[i]).toBe(9);
    }
  });

  it('binaryTo255 refuses planes of different lengths', () => {
    expect(() => binaryTo255(new Uint8Array(8), new Uint8Array(4))).toThrow(/8 bytes into 4/);
  });
});

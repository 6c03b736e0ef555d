import { describe, expect, it } from 'vitest';
import { FrameFold } from '../../src/engine/lite/frameFold';
import { closeTemporalGaps } from '../../src/engine/lite/mask/morphology';
import { seededRandom } from './track/seededRandom';

/** Sparse bytes (mostly 0, a few runs set), as masks and fill differences are. */
function sparse(n: number, rand: () => number, value: () => number): Uint8Array {
  const out = new Uint8Array(n);
  for (let run = 0; run < 6; run++) {
    const at = Math.floor(rand() * n);
    for (let i = at; i < Math.min(n, at + 1 + Math.floor(rand() * 9)); i++) out[i] = value();
  }
  return out;
}

/** The plane at a byte offset of 1 in a larger buffer: not viewable as words, so the plain loop runs. */
function unaligned(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1).subarray(1);
  out.set(bytes);
  return out;
}

function frameOf(data: Uint8Array, w: number) {
  return { index: 0, sourceIndex: 0, time: { num: 0, den: 1 }, width: w, height: data.length / 3 / w, channels: 3 as const, data };
}

describe('folding overlapping windows, four bytes at a time', () => {
  it('blends and unions exactly as a byte-by-byte fold, aligned or not', () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 30; trial++) {
      const w = 7 + (trial % 5);
      const n = w * 5;
      const source = Uint8Array.from({ length: 3 * n }, () => Math.floor(rand() * 256));
      // Two fills of the same source, differing from it (and each other) at a few places.
      const fill = () => {
        const d = Uint8Array.from(source);
        const change = sparse(3 * n, rand, () => 1);
        for (let i = 0; i < d.length; i++) if (change[i]) d[i] = Math.floor(rand() * 256);
        return d;
      };
      const x = fill();
      const y = fill();
      const mx = sparse(n, rand, () => 1 + Math.floor(rand() * 255));
      const my = sparse(n, rand, () => 1 + Math.floor(rand() * 255));
      const weight = 0.2 + 0.6 * rand();
      const expected = x.map((v, i) => (v !== y[i] ? Math.round(v * weight + y[i] * (1 - weight)) : v));
      const expectedMask = mx.map((v, i) => Math.max(v, my[i]));
      for (const view of [(b: Uint8Array) => Uint8Array.from(b), unaligned]) {
        const fold = new FrameFold({ frame: frameOf(view(x), w), mask: { width: w, height: 5, data: view(mx) } }, weight);
        fold.add({ frame: frameOf(view(y), w), mask: { width: w, height: 5, data: view(my) } });
        expect(Array.from(fold.frame.data)).toEqual(Array.from(expected));
        expect(Array.from(fold.mask.data)).toEqual(Array.from(expectedMask));
      }
    }
  });

  it('closes one-frame gaps in masks exactly as the per-pixel rule, aligned or not', () => {
    const rand = seededRandom(5);
    for (let trial = 0; trial < 30; trial++) {
      const n = 40 + trial;
      const planes = [0, 1, 2].map(() => sparse(n, rand, () => 1 + Math.floor(rand() * 255)));
      const expected = planes[1].map((v, i) => Math.max(v, Math.min(planes[0][i], planes[2][i])));
      for (const view of [(b: Uint8Array) => Uint8Array.from(b), unaligned]) {
        const [, mid] = closeTemporalGaps(planes.map((p) => ({ width: n, height: 1, data: view(p) })));
        expect(Array.from(mid.data)).toEqual(Array.from(expected));
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { shrinkRgb } from '../../../src/engine/lite/fill/resample';
import type { RgbImage } from '../../../src/engine/lite/types';

/** Deterministic noisy RGB (a hash per pixel and channel), so every block mean is different. */
function noise(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (Math.imul(i + seed, 2654435761) >>> 24) & 255;
  return { width, height, data };
}

/** The area average by its definition: the mean of each f x f block, halves rounded up. */
function blockMeans(img: RgbImage, f: number): Uint8Array {
  const w = img.width / f;
  const h = img.height / f;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let v = 0; v < f; v++) for (let u = 0; u < f; u++) s += img.data[((y * f + v) * img.width + x * f + u) * 3 + c];
        out[(y * w + x) * 3 + c] = Math.round(s / (f * f));
      }
    }
  }
  return out;
}

describe('shrinkRgb', () => {
  it.each([2, 4, 8, 16])('shrinks by %i as the rounded mean of each block', (f) => {
    const img = noise(24 * f, 10 * f, f);
    const out = shrinkRgb(img, 24, 10);
    expect(out.width).toBe(24);
    expect(out.height).toBe(10);
    expect(Array.from(out.data)).toEqual(Array.from(blockMeans(img, f)));
  });

  it('gives the same rounded means on the general path where its weights are exact (a shrink of the height only)', () => {
    const img = noise(16, 32, 7);
    const general = shrinkRgb(img, 16, 8);
    const rows = new Uint8Array(16 * 8 * 3);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 16; x++) {
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let v = 0; v < 4; v++) s += img.data[((4 * y + v) * 16 + x) * 3 + c];
          rows[(y * 16 + x) * 3 + c] = Math.round(s / 4);
        }
      }
    }
    expect(Array.from(general.data)).toEqual(Array.from(rows));
  });

  it('gives the same means from a frame that is not word-aligned (read byte by byte) and from white (no lane overflows)', () => {
    for (const f of [4, 8, 16]) {
      const img = noise(6 * f, 3 * f, f + 1);
      const shifted = new Uint8Array(img.data.length + 1).subarray(1);
      shifted.set(img.data);
      expect(Array.from(shrinkRgb({ ...img, data: shifted }, 6, 3).data)).toEqual(Array.from(blockMeans(img, f)));
      const white = { width: 6 * f, height: 3 * f, data: new Uint8Array(18 * f * f * 3).fill(255) };
      expect(shrinkRgb(white, 6, 3).data.every((v) => v === 255)).toBe(true);
    }
  });

  it('writes into the buffer it is given', () => {
    const img = noise(32, 16, 3);
    const into = new Uint8Array(8 * 4 * 3);
    const out = shrinkRgb(img, 8, 4, into);
    expect(out.data).toBe(into);
    expect(Array.from(into)).toEqual(Array.from(blockMeans(img, 4)));
    const same = new Uint8Array(32 * 16 * 3);
    expect(Array.from(shrinkRgb(img, 32, 16, same).data)).toEqual(Array.from(img.data));
  });

  it('keeps the general area average for other ratios', () => {
    const img = noise(30, 30, 5);
    const out = shrinkRgb(img, 20, 20);
    // 1.5 source pixels per output: the first output pixel is (p00 + p01/2 + p10/2 + p11/4) / 2.25.
    const p = (x: number, y: number) => img.data[(y * 30 + x) * 3];
    expect(out.data[0]).toBe(Math.round((p(0, 0) + p(1, 0) / 2 + p(0, 1) / 2 + p(1, 1) / 4) / 2.25));
  });
});

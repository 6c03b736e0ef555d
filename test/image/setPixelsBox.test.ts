import { describe, expect, it } from 'vitest';
import { setPixelsBox } from '../../src/engine/image/setPixelsBox';
import { referenceBox } from './referenceBox';

/** A small deterministic generator (the cases must be the same on every run). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('setPixelsBox', () => {
  it('is the plain scan on random masks of odd sizes, sparse and dense, in aligned and unaligned views', () => {
    const rand = lcg(7);
    for (let c = 0; c < 400; c++) {
      const w = 1 + Math.floor(rand() * 37);
      const h = 1 + Math.floor(rand() * 23);
      const offset = Math.floor(rand() * 4);
      const data = new Uint8Array(new ArrayBuffer(w * h + 8), offset, w * h);
      // Bytes around the view are set: the scan must never read outside it.
      new Uint8Array(data.buffer).fill(9);
      data.fill(0);
      const set = [0, 1, 2, 5, w * h][Math.floor(rand() * 5)];
      for (let k = 0; k < set; k++) data[Math.floor(rand() * w * h)] = 1 + Math.floor(rand() * 255);
      const pad = Math.floor(rand() * 3);
      expect(setPixelsBox(data, w, h, pad), `case ${c}: ${w}x${h} at ${offset}`).toEqual(referenceBox(data, w, h, pad));
    }
  });

  it('finds a single pixel in each corner and the middle of a 1080p mask', () => {
    const w = 1920;
    const h = 1080;
    for (const i of [0, w - 1, (h - 1) * w, w * h - 1, 540 * w + 961]) {
      const data = new Uint8Array(w * h);
      data[i] = 255;
      const x = i % w;
      const y = Math.floor(i / w);
      expect(setPixelsBox(data, w, h)).toEqual({ x0: x, y0: y, x1: x, y1: y });
    }
    expect(setPixelsBox(new Uint8Array(w * h), w, h)).toBeNull();
  });
});

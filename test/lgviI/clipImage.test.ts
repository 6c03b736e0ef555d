import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipPixelValues, CLIP_MEAN, CLIP_STD, resizeBicubicPil, shortSideSize } from '../../src/engine/lgviI/clipImage';
import type { RgbImage } from '../../src/engine/lite/types';

/** The formula test/fixtures/pil-bicubic/make_reference.py draws its sources with. */
function source(w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = (y * w + x) * 3;
      data[p] = (x * 7 + y * 3) % 256;
      data[p + 1] = (x * x + y * 11) % 256;
      data[p + 2] = ((x ^ y) * 5) % 256;
    }
  }
  return { width: w, height: h, data };
}

const reference = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/pil-bicubic/reference.json'), 'utf8')) as {
  cases: { source: [number, number]; size: [number, number]; rgb: string }[];
};

describe('CLIP preprocessing for LGVI-I\'s vision tower', () => {
  it.each(reference.cases.map((c) => [`${c.source.join('x')} → ${c.size.join('x')}`, c] as const))('resizes as PIL\'s bicubic does, to within 1 in 0..255: %s', (_, c) => {
    const out = resizeBicubicPil(source(...c.source), ...c.size);
    const want = Buffer.from(c.rgb, 'hex');
    expect(out.data.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(out.data[i] - want[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('resizes the short side to 336 (long side truncated, as transformers does) and centre-crops', () => {
    expect(shortSideSize(568, 320, 336)).toEqual({ width: 596, height: 336 });
    expect(shortSideSize(320, 568, 336)).toEqual({ width: 336, height: 596 });
    // A frame whose left half is black and right half white: the crop's centre column is the edge.
    const w = 800;
    const h = 400;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = w / 2; x < w; x++) data.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const px = clipPixelValues({ width: w, height: h, data }, 336, CLIP_MEAN, CLIP_STD);
    expect(px.length).toBe(3 * 336 * 336);
    const at = (c: number, y: number, x: number) => px[(c * 336 + y) * 336 + x] * CLIP_STD[c] + CLIP_MEAN[c];
    expect(at(0, 100, 0)).toBeCloseTo(0, 5);
    expect(at(2, 100, 335)).toBeCloseTo(1, 5);
    expect(at(1, 100, 150)).toBeCloseTo(0, 5);
    expect(at(1, 100, 185)).toBeCloseTo(1, 5);
  });
});

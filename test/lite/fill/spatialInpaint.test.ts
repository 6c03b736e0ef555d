import { describe, expect, it } from 'vitest';
import { exemplarInpaint } from '../../../src/engine/lite/fill/exemplarInpaint';
import { teleaInpaint } from '../../../src/engine/lite/fill/telea';
import { MAX_FULL_SIZE_HOLE, spatialFill } from '../../../src/engine/lite/fill/spatialFill';
import type { RgbImage } from '../../../src/engine/lite/types';
import { copyImage, psnrIn } from './syntheticFrames';

function image(w: number, h: number, colour: (x: number, y: number) => [number, number, number]): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(colour(x, y), (y * w + x) * 3);
  return { width: w, height: h, data };
}

function rectHole(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  return m;
}

/** The hole filled with the mean colour of the known pixels: what a smear converges to. */
function meanFill(img: RgbImage, hole: Uint8Array): RgbImage {
  const out = copyImage(img);
  const sum = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < hole.length; i++) {
    if (hole[i]) continue;
    for (let ch = 0; ch < 3; ch++) sum[ch] += img.data[3 * i + ch];
    n++;
  }
  for (let i = 0; i < hole.length; i++) if (hole[i]) for (let ch = 0; ch < 3; ch++) out.data[3 * i + ch] = Math.round(sum[ch] / n);
  return out;
}

describe('exemplar inpainting', () => {
  it('continues a stripe texture through the hole far better than the mean colour', () => {
    const truth = image(96, 64, (x, y) => ((x + (y >> 1)) % 8 < 4 ? [220, 60, 40] : [30, 90, 200]));
    const hole = rectHole(96, 64, 38, 22, 58, 42);
    const damaged = copyImage(truth);
    for (let i = 0; i < hole.length; i++) if (hole[i]) damaged.data.set([0, 0, 0], 3 * i);
    const filled = copyImage(damaged);
    expect(exemplarInpaint(filled, hole)).toBe(20 * 20);
    const ours = psnrIn(filled, truth, hole);
    const mean = psnrIn(meanFill(damaged, hole), truth, hole);
    expect(ours).toBeGreaterThan(mean + 10);
    // known pixels untouched
    let changedKnown = 0;
    for (let i = 0; i < hole.length; i++) if (!hole[i] && filled.data[3 * i] !== truth.data[3 * i]) changedKnown++;
    expect(changedKnown).toBe(0);
  });

  it('does nothing when there is no hole', () => {
    const img = image(20, 20, (x) => [x * 10, 0, 0]);
    const before = Uint8Array.from(img.data);
    expect(exemplarInpaint(img, new Uint8Array(400))).toBe(0);
    expect(Buffer.compare(img.data, before)).toBe(0);
  });
});

describe('spatialFill', () => {
  it('invents a hole too large for full-size patch search on a half-size copy, still continuing the texture', () => {
    const truth = image(320, 240, (x, y) => ((x + (y >> 1)) % 16 < 8 ? [220, 60, 40] : [30, 90, 200]));
    const hole = rectHole(320, 240, 80, 50, 240, 190);
    const area = 160 * 140;
    expect(area).toBeGreaterThan(MAX_FULL_SIZE_HOLE);
    const damaged = copyImage(truth);
    for (let i = 0; i < hole.length; i++) if (hole[i]) damaged.data.set([0, 0, 0], 3 * i);
    const filled = copyImage(damaged);
    expect(spatialFill(filled, hole, 4)).toBe(area);
    let black = 0;
    for (let i = 0; i < hole.length; i++) if (hole[i] && filled.data[3 * i] + filled.data[3 * i + 1] + filled.data[3 * i + 2] === 0) black++;
    expect(black).toBe(0);
    expect(psnrIn(filled, truth, hole)).toBeGreaterThan(psnrIn(meanFill(damaged, hole), truth, hole) + 3);
  });
});

describe('Telea fast-marching inpainting (the baseline)', () => {
  it('fills a hole in a smooth gradient almost exactly', () => {
    const truth = image(64, 48, (x, y) => [40 + 3 * x, 30 + 2 * y, 200 - 2 * x]);
    const hole = rectHole(64, 48, 26, 18, 38, 30);
    const img = copyImage(truth);
    for (let i = 0; i < hole.length; i++) if (hole[i]) img.data.set([255, 0, 255], 3 * i);
    teleaInpaint(img, hole, 5);
    let worst = 0;
    for (let i = 0; i < hole.length; i++) {
      if (!hole[i]) {
        worst = Math.max(worst, 100 * Math.abs(img.data[3 * i] - truth.data[3 * i])); // known pixels must not move at all
        continue;
      }
      for (let ch = 0; ch < 3; ch++) worst = Math.max(worst, Math.abs(img.data[3 * i + ch] - truth.data[3 * i + ch]));
    }
    expect(worst).toBeLessThanOrEqual(4);
  });

  it('fills every hole pixel, even one touching the frame edge', () => {
    const img = image(32, 24, () => [100, 150, 200]);
    const hole = rectHole(32, 24, 0, 0, 10, 10);
    for (let i = 0; i < hole.length; i++) if (hole[i]) img.data.set([0, 0, 0], 3 * i);
    teleaInpaint(img, hole);
    for (let i = 0; i < hole.length; i++) if (hole[i]) expect(Array.from(img.data.subarray(3 * i, 3 * i + 3))).toEqual([100, 150, 200]);
  });
});

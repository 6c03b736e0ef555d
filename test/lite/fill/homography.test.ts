import { describe, expect, it } from 'vitest';
import {
  composeHomographies,
  fitHomography,
  invertHomography,
  mapPoint,
  maxDisplacement,
  ransacHomography,
  type Homography,
} from '../../../src/engine/lite/fill/homography';
import { alignClip } from '../../../src/engine/lite/fill/alignment';
import { blankMask, paintSquare, renderTexture } from './syntheticFrames';

const known: Homography = Float64Array.of(1.02, 0.03, 4.5, -0.02, 0.99, -2.25, 0.00006, -0.00004, 1);

/** How far apart two homographies put points of a width x height frame, at worst. */
function disagreement(a: Homography, b: Homography, w: number, h: number): number {
  return maxDisplacement(composeHomographies(invertHomography(b), a), w, h);
}

describe('homography estimation', () => {
  it('fits a known homography exactly from clean correspondences', () => {
    const p = new Float64Array(2);
    const src: number[] = [];
    const dst: number[] = [];
    for (const [x, y] of [[3, 5], [150, 8], [140, 90], [10, 80], [70, 40], [33, 61]]) {
      mapPoint(known, x, y, p);
      src.push(x, y);
      dst.push(p[0], p[1]);
    }
    const h = fitHomography({ src: Float64Array.from(src), dst: Float64Array.from(dst), count: 6 })!;
    expect(disagreement(h, known, 160, 96)).toBeLessThan(1e-6);
  });

  it('RANSAC ignores 30% outliers', () => {
    const p = new Float64Array(2);
    const src: number[] = [];
    const dst: number[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 100; i++) {
      const x = rnd() * 160;
      const y = rnd() * 96;
      mapPoint(known, x, y, p);
      const outlier = i % 10 < 3;
      src.push(x, y);
      dst.push(p[0] + (outlier ? 20 + rnd() * 30 : (rnd() - 0.5) * 0.2), p[1] + (outlier ? -15 : (rnd() - 0.5) * 0.2));
    }
    const fit = ransacHomography({ src: Float64Array.from(src), dst: Float64Array.from(dst), count: 100 })!;
    expect(fit.inliers.length).toBe(70);
    expect(disagreement(fit.homography, known, 160, 96)).toBeLessThan(0.15);
  });

  it('alignClip recovers a known camera warp from the pixels, ignoring a moving object', () => {
    const w = 192;
    const h = 128;
    const inv = invertHomography(known);
    const a = renderTexture(w, h);
    // Frame b shows scene point known^-1(p) at p, so a pixel at q in a appears at known(q) in b.
    const b = renderTexture(w, h, (x, y, p) => mapPoint(inv, x, y, p));
    const ma = blankMask(w, h);
    const mb = blankMask(w, h);
    paintSquare(a, ma, 40, 30, 30, [250, 20, 20]);
    paintSquare(b, mb, 110, 60, 30, [250, 20, 20]);
    const al = alignClip([a, b], [ma, mb]);
    // Worst case over the frame's corners (extrapolation) on 8-bit quantised frames: under a quarter pixel.
    expect(disagreement(al.between(0, 1), known, w, h)).toBeLessThan(0.25);
    expect(disagreement(al.between(1, 0), invertHomography(known), w, h)).toBeLessThan(0.25);
    expect(al.pairs[0].still).toBe(false);
    expect(Array.from(al.segment)).toEqual([0, 0]);

    // Masks given as a function are asked for only where a pair is measured, with the same motion.
    const asked: number[] = [];
    const memo = { start: 10, pairs: new Map() };
    const lazy = alignClip([a, b], (t) => (asked.push(t), [ma, mb][t]), memo);
    expect(asked).toEqual([0, 1]);
    expect(Array.from(lazy.pairs[0].homography)).toEqual(Array.from(al.pairs[0].homography));
    asked.length = 0;
    const remembered = alignClip([a, b], (t) => (asked.push(t), [ma, mb][t]), memo);
    expect(asked).toEqual([]);
    expect(remembered.pairs[0]).toBe(lazy.pairs[0]);
  });

  it('calls a locked-off pair still and returns the exact identity', () => {
    const a = renderTexture(160, 96);
    const b = renderTexture(160, 96);
    // Sensor noise of ±1 LSB must not be read as camera motion.
    for (let i = 0; i < b.data.length; i += 7) b.data[i] = Math.min(255, b.data[i] + 1);
    const al = alignClip([a, b], [null, null]);
    expect(al.pairs[0].still).toBe(true);
    expect(Array.from(al.between(0, 1))).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { alignClip } from '../../../src/engine/lite/fill/alignment';
import { translationCandidates } from '../../../src/engine/lite/fill/coarseTranslation';
import { fft2d } from '../../../src/engine/lite/fill/fft2d';
import { lumaOf } from '../../../src/engine/lite/fill/floatImage';
import { composeHomographies, invertHomography, maxDisplacement, translationHomography } from '../../../src/engine/lite/fill/homography';
import type { RgbImage } from '../../../src/engine/lite/types';
import { blankMask, paintSquare, renderNoise, renderTexture } from './syntheticFrames';

/**
 * Alignment on repetitive texture (issue 4: two-birds' window blinds): slats repeat every 17 px,
 * so a camera move of more than half a period lets zero-start tracking lock one slat off with a
 * crowd of agreeing corners. The shift search and the picture-based choice must find the truth.
 */
const W = 320;
const H = 192;
const PERIOD = 17;

/** Window blinds: slat faces and dark gaps, uneven light, a few strings, faint grain. */
function blindsAt(x: number, y: number): number {
  const f = (((y / PERIOD) % 1) + 1) % 1;
  let v = f < 0.75 ? 215 - 40 * f : 90;
  v *= 0.75 + 0.25 * Math.sin(x / 90 + y / 200);
  for (const sx of [50, 170, 290, 410]) if (Math.abs(x - sx) < 1.2) v *= 0.45;
  return v + 14 * Math.sin(x * 0.31 + y * 0.17) * Math.sin(x * 0.07 - y * 0.23);
}

/** The blinds seen by a camera whose picture content moved by (ox, oy): pixel p shows scene point p - o. */
function blinds(ox: number, oy: number): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (const a of [0.25, 0.75]) for (const b of [0.25, 0.75]) s += blindsAt(x + a - ox, y + b - oy);
      const v = Math.max(0, Math.min(255, Math.round(s / 4)));
      data.set([v, v, Math.min(255, v + 10)], 3 * (y * W + x));
    }
  }
  return { width: W, height: H, data };
}

function errorPx(found: Float64Array, dx: number, dy: number): number {
  return maxDisplacement(composeHomographies(invertHomography(translationHomography(dx, dy)), found), W, H);
}

describe('alignment on repetitive texture', () => {
  it.each([
    [9, 26],
    [-14, 22],
    [4, -30],
    [20, 10],
  ])('recovers a move of (%i, %i) px over 17 px slats within a pixel', (dx, dy) => {
    const al = alignClip([blinds(0, 0), blinds(dx, dy)], [null, null]);
    expect(errorPx(al.between(0, 1), dx, dy)).toBeLessThan(1);
    expect(al.pairs[0].inliers).toBeGreaterThan(30);
    expect(Array.from(al.segment)).toEqual([0, 0]);
  });

  it('follows a camera that speeds up, with an object masked out, over a whole clip', () => {
    const path = [
      [0, 0],
      [3, 2],
      [8, 6],
      [18, 20],
      [30, 44],
      [36, 52],
    ];
    const frames = path.map(([x, y]) => blinds(x, y));
    const masks = path.map((_, t) => {
      const m = blankMask(W, H);
      paintSquare(frames[t], m, 100 + 12 * t, 60, 40, [20, 30, 200]);
      return m;
    });
    const al = alignClip(frames, masks);
    expect(Array.from(al.segment)).toEqual([0, 0, 0, 0, 0, 0]);
    const [x5, y5] = path[5];
    expect(errorPx(al.between(0, 5), x5, y5)).toBeLessThan(1.5);
  });

  it('takes the pairs an overlapping window measured from the memo, and measures only the rest', () => {
    const path = [[0, 0], [3, 2], [8, 6], [18, 20], [30, 44], [36, 52]];
    const frames = path.map(([x, y]) => blinds(x, y));
    const masks = path.map(() => null);
    const whole = alignClip(frames, masks);
    const pairs = new Map();
    // A first window of frames 0..3, then one of 2..5 sharing frames 2 and 3 with it.
    alignClip(frames.slice(0, 4), masks.slice(0, 4), { pairs, start: 0 });
    expect([...pairs.keys()]).toEqual([0, 1, 2]);
    const remembered = pairs.get(2);
    const second = alignClip(frames.slice(2), masks.slice(2), { pairs, start: 2 });
    expect(second.pairs[0]).toBe(remembered);
    expect([...pairs.keys()]).toEqual([0, 1, 2, 3, 4]);
    // The same motion as one pass over the whole clip (each pair from the pair before's guess).
    for (let t = 0; t < 3; t++) expect(Array.from(second.pairs[t].homography)).toEqual(Array.from(whole.pairs[t + 2].homography));
  });

  it('starts a new segment at a cut, where no motion explains the pictures', () => {
    const other = (ox: number) => renderTexture(W, H, (x, y, p) => {
      p[0] = 0.37 * y + 500 - ox;
      p[1] = 0.41 * x + 300;
    });
    const al = alignClip([blinds(0, 0), blinds(3, 1), other(0), other(2), other(4)], [null, null, null, null, null]);
    expect(Array.from(al.segment)).toEqual([0, 0, 1, 1, 1]);
  });
});

describe('shift candidates by phase correlation', () => {
  it('puts the true shift first on broadband texture, not the masked object\'s own motion', () => {
    const a = renderNoise(W, H, 0, 0);
    const b = renderNoise(W, H, -23, 31);
    // A flat object moving its own way (+40, 0): unmasked, its sharp outline wins the correlation.
    const ma = blankMask(W, H);
    const mb = blankMask(W, H);
    paintSquare(a, ma, 100, 60, 50, [250, 250, 20]);
    paintSquare(b, mb, 140, 60, 50, [250, 250, 20]);
    const [unmasked] = translationCandidates(lumaOf(a), lumaOf(b), null, null);
    expect([unmasked.dx, unmasked.dy]).toEqual([40, 0]);
    const [best, next] = translationCandidates(lumaOf(a), lumaOf(b), ma.data, mb.data);
    expect([best.dx, best.dy]).toEqual([-23, 31]);
    expect(best.score).toBeGreaterThan(5 * next.score);
  });

  it('lists the true shift among its candidates on the blinds, where slat-period look-alikes compete', () => {
    const shifts = translationCandidates(lumaOf(blinds(0, 0)), lumaOf(blinds(-23, 31)), null, null, { count: 6 });
    expect(shifts.map((s) => `${s.dx},${s.dy}`)).toContain('-23,31');
  });

  it('fft2d: inverse of forward is the input times the size', () => {
    const re = Float64Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.3) * 10);
    const im = new Float64Array(32);
    const copy = Float64Array.from(re);
    fft2d(re, im, 8, 4);
    fft2d(re, im, 8, 4, true);
    for (let i = 0; i < 32; i++) {
      expect(re[i] / 32).toBeCloseTo(copy[i], 9);
      expect(im[i] / 32).toBeCloseTo(0, 9);
    }
    expect(() => fft2d(re, im, 6, 4)).toThrow(/power of two/);
  });
});

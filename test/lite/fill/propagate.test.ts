import { describe, expect, it } from 'vitest';
import { fillClip } from '../../../src/engine/lite/fill/fillClip';
import { estimateBackground, medianOf, ringAround, runMasked, setPixels, visibleRing } from '../../../src/engine/lite/fill/propagate';
import { sampleRgb } from '../../../src/engine/lite/fill/sampleRgb';
import { composeHomographies, invertHomography, translationHomography, mapPoint } from '../../../src/engine/lite/fill/homography';
import type { ClipAlignment } from '../../../src/engine/lite/fill/alignment';
import type { GrayImage, RgbImage } from '../../../src/engine/lite/types';
import { blankMask, copyImage, paintSquare, psnrIn, renderTexture } from './syntheticFrames';
import { seededRandom } from '../track/seededRandom';

const W = 160;
const H = 96;

/** A clip of the texture (camera moving by `pan` px per frame) with a square crossing it. */
function clip(frames: number, pan: [number, number]) {
  const shown: RgbImage[] = [];
  const truth: RgbImage[] = [];
  const masks: GrayImage[] = [];
  for (let t = 0; t < frames; t++) {
    const cam = translationHomography(pan[0] * t, pan[1] * t);
    const bg = renderTexture(W, H, (x, y, p) => mapPoint(cam, x, y, p));
    const f = copyImage(bg);
    const m = blankMask(W, H);
    paintSquare(f, m, 20 + 9 * t, 30 + 2 * t, 24, [255, 0, 255]);
    shown.push(f);
    truth.push(bg);
    masks.push(m);
  }
  return { shown, truth, masks };
}

describe('fillClip temporal propagation', () => {
  it('restores a locked-off hole to within 1 LSB where other frames saw the background', () => {
    const { shown, truth, masks } = clip(10, [0, 0]);
    const { frames, report } = fillClip(shown, masks);
    expect(report.inpaintedPixels).toBe(0);
    expect(report.stillPairs).toBe(9);
    expect(report.segments).toBe(1);
    for (let t = 0; t < frames.length; t++) {
      let worst = 0;
      for (let i = 0; i < W * H; i++) {
        if (!masks[t].data[i]) continue;
        for (let ch = 0; ch < 3; ch++) worst = Math.max(worst, Math.abs(frames[t].data[3 * i + ch] - truth[t].data[3 * i + ch]));
      }
      expect(worst, `frame ${t}`).toBeLessThanOrEqual(1);
    }
  });

  it('keeps every unmasked pixel bit-exact', () => {
    const { shown, masks } = clip(6, [1.5, 0.5]);
    const { frames } = fillClip(shown, masks, { feather: 2 });
    for (let t = 0; t < frames.length; t++) {
      let changedOutside = 0;
      let changedInside = 0;
      for (let i = 0; i < W * H; i++) {
        const same =
          frames[t].data[3 * i] === shown[t].data[3 * i] &&
          frames[t].data[3 * i + 1] === shown[t].data[3 * i + 1] &&
          frames[t].data[3 * i + 2] === shown[t].data[3 * i + 2];
        if (masks[t].data[i]) changedInside += same ? 0 : 1;
        else changedOutside += same ? 0 : 1;
      }
      expect(changedOutside).toBe(0);
      expect(changedInside).toBeGreaterThan(24 * 24 * 0.9);
    }
  });

  it('follows a panning camera: the hole is restored from aligned frames', () => {
    const { shown, truth, masks } = clip(10, [2.5, 1.25]);
    const { frames, report } = fillClip(shown, masks);
    expect(report.stillPairs).toBe(0);
    for (let t = 0; t < frames.length; t++) {
      const region = masks[t].data;
      expect(psnrIn(frames[t], truth[t], region), `frame ${t}`).toBeGreaterThan(35);
    }
  });

  it('invents what no frame shows once and carries it to the other frames (no flicker)', () => {
    // A square that never moves on a locked-off shot: nothing ever shows what is behind it.
    const shown: RgbImage[] = [];
    const masks: GrayImage[] = [];
    for (let t = 0; t < 5; t++) {
      const f = renderTexture(W, H);
      const m = blankMask(W, H);
      paintSquare(f, m, 60, 30, 16, [0, 255, 0]);
      shown.push(f);
      masks.push(m);
    }
    const { frames, report } = fillClip(shown, masks);
    expect(report.referenceFrames).toHaveLength(1);
    expect(report.inpaintedPixels).toBe(16 * 16);
    for (let t = 1; t < frames.length; t++) expect(Buffer.compare(frames[t].data, frames[0].data)).toBe(0);
    // and the invention is no longer the object
    const i = (30 + 8) * W + 68;
    expect(Array.from(frames[0].data.subarray(3 * i, 3 * i + 3))).not.toEqual([0, 255, 0]);
  });

  it('never carries pixels across a cut', () => {
    const { shown, masks } = clip(3, [0, 0]);
    // After the cut: flat black frames with a square (nothing to track, so no alignment either).
    for (let t = 0; t < 3; t++) {
      const f = { width: W, height: H, data: new Uint8Array(W * H * 3) };
      const m = blankMask(W, H);
      paintSquare(f, m, 30 + 10 * t, 30, 20, [255, 255, 255]);
      shown.push(f);
      masks.push(m);
    }
    const { frames } = fillClip(shown, masks);
    for (let t = 0; t < 6; t++) {
      let black = 0;
      let holePixels = 0;
      for (let i = 0; i < W * H; i++) {
        if (!masks[t].data[i]) continue;
        holePixels++;
        if (frames[t].data[3 * i] + frames[t].data[3 * i + 1] + frames[t].data[3 * i + 2] === 0) black++;
      }
      // Textured frames never receive black; black frames receive nothing but black.
      expect(black, `frame ${t}`).toBe(t < 3 ? 0 : holePixels);
    }
  });

  it('matches exposure: a fill taken from a brighter frame is brought to this frame\'s brightness', () => {
    const { shown, truth, masks } = clip(8, [0, 0]);
    // Odd frames exposed 12% brighter (an auto-exposing camera).
    for (const imgs of [shown, truth]) {
      imgs.forEach((f, t) => {
        if (t % 2) for (let i = 0; i < f.data.length; i++) f.data[i] = Math.min(255, Math.round(f.data[i] * 1.12));
      });
    }
    const { frames } = fillClip(shown, masks);
    for (let t = 0; t < frames.length; t++) {
      let sum = 0;
      let n = 0;
      for (let i = 0; i < W * H; i++) {
        if (!masks[t].data[i]) continue;
        for (let ch = 0; ch < 3; ch++) sum += frames[t].data[3 * i + ch] - truth[t].data[3 * i + ch];
        n += 3;
      }
      // Mean error (brightness bias) under 1.5 LSB; uncorrected it would be about ±14.
      expect(Math.abs(sum / n), `frame ${t}`).toBeLessThan(1.5);
    }
  });
});

describe('estimateBackground', () => {
  it('gives each pixel the median of its first k samples, nearest frames first, as a pixel-by-pixel search does', () => {
    // Noise frames under a drifting, slightly turning camera; a moving block (seen behind in other
    // frames) and a block that never moves (hidden in every frame: open through the whole search),
    // a cut, and known gains per source frame.
    const rand = seededRandom(5);
    const w = 70;
    const h = 50;
    const n = 14;
    const frames: RgbImage[] = Array.from({ length: n }, () => ({ width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rand() * 256)) }));
    const toRef = Array.from({ length: n }, (_, t) => {
      const a = 0.004 * t;
      return new Float64Array([Math.cos(a), -Math.sin(a), 0.37 * t, Math.sin(a), Math.cos(a), -0.21 * t, 0, 0, 1]);
    });
    const segment = Int32Array.from({ length: n }, (_, t) => (t < 11 ? 0 : 1));
    const alignment: ClipAlignment = { between: (from, to) => composeHomographies(invertHomography(toRef[to]), toRef[from]), segment, pairs: [] };
    const exclusion = frames.map((_, t) => {
      const m = new Uint8Array(w * h);
      for (let y = 10; y < 34; y++) for (let x = 4 + 5 * t; x < 16 + 5 * t; x++) if (x < w) m[y * w + x] = 1;
      for (let y = 30; y < 44; y++) for (let x = 44; x < 60; x++) m[y * w + x] = 1;
      return m;
    });
    const gains = new Map<number, Float64Array | null>(frames.map((_, s) => [s, s % 3 === 0 ? null : new Float64Array([1 + 0.01 * s, 1 - 0.01 * s, 1.02])]));
    const ring = new Int32Array(0);
    for (const [t, k] of [[5, 5], [0, 3], [10, 5], [11, 2]]) {
      const idx = setPixels({ width: w, height: h, data: exclusion[t] });
      const got = estimateBackground(frames, exclusion, alignment, t, idx, ring, { maxCandidates: k, gains: new Map(gains) });
      const sample = new Uint8Array(3);
      let full = 0;
      let none = 0;
      idx.forEach((p, j) => {
        const x = p % w;
        const y = (p - x) / w;
        const taken: number[][] = [];
        for (let d = 1; d < n && taken.length < k; d++) {
          for (const s of [t - d, t + d]) {
            if (s < 0 || s >= n || segment[s] !== segment[t] || taken.length >= k) continue;
            const q = new Float64Array(2);
            mapPoint(alignment.between(t, s), x, y, q);
            if (!(q[0] >= 0 && q[1] >= 0 && q[0] <= w - 1 && q[1] <= h - 1)) continue;
            if (!sampleRgb(frames[s].data, exclusion[s], w, h, q[0], q[1], sample, 0)) continue;
            const g = gains.get(s);
            taken.push([0, 1, 2].map((ch) => (g ? Math.min(255, Math.round(sample[ch] * g[ch])) : sample[ch])));
          }
        }
        expect(got.count[j], `frame ${t}, pixel ${x},${y}`).toBe(taken.length);
        if (taken.length === k) full++;
        if (taken.length === 0) none++;
        for (let ch = 0; ch < 3 && taken.length; ch++) {
          expect(got.values[3 * j + ch]).toBe(medianOf(Uint8Array.from(taken.map((c) => c[ch])), taken.length));
        }
      });
      // Both kinds of pixel are there: filled from near frames, and hidden everywhere.
      expect(full).toBeGreaterThan(50);
      expect(none).toBeGreaterThan(50);
    }
  });
});

describe('medianOf', () => {
  it('gives the sorted middle value (the rounded-up mean of the two middle ones when even) for every count, as a full sort would', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    for (let n = 1; n <= 9; n++) {
      for (let trial = 0; trial < 3000; trial++) {
        // Small ranges too, so ties are common.
        const range = trial % 3 === 0 ? 4 : 256;
        const v = Uint8Array.from({ length: n }, () => rand() % range);
        const sorted = Array.from(v).sort((a, b) => a - b);
        const want = n & 1 ? sorted[n >> 1] : (sorted[(n >> 1) - 1] + sorted[n >> 1] + 1) >> 1;
        expect(medianOf(v, n)).toBe(want);
      }
    }
  });
});

describe('visibleRing', () => {
  it("is ringAround without the frame's excluded pixels (its shadow, other objects), in the same order", () => {
    const hole = blankMask(64, 48);
    paintSquare(renderTexture(64, 48), hole, 20, 14, 12, [255, 0, 0]);
    const exclude = new Uint8Array(64 * 48);
    for (let i = 0; i < exclude.length; i += 3) exclude[i] = 1;
    const all = Array.from(ringAround(hole));
    expect(all.length).toBeGreaterThan(100);
    expect(Array.from(visibleRing(hole, exclude))).toEqual(all.filter((p) => !exclude[p]));
    expect(Array.from(visibleRing(hole))).toEqual(all);
  });
});

describe('runMasked (a run of pixels passed over at once)', () => {
  it('only passes over runs whose every pixel the sampler refuses, for rotations, zooms and perspective', () => {
    const rand = seededRandom(11);
    const sw = 90;
    const sh = 70;
    const out = new Uint8Array(3);
    const rgb = new Uint8Array(sw * sh * 3);
    let passed = 0;
    let refusedOneByOne = 0;
    for (let c = 0; c < 5000; c++) {
      // A mask of a few discs, sometimes nearly the whole frame.
      const hole = new Uint8Array(sw * sh);
      const discs = 1 + Math.floor(rand() * 3);
      for (let d = 0; d < discs; d++) {
        const cx = rand() * sw;
        const cy = rand() * sh;
        const r = 4 + rand() * 40;
        for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) if ((x - cx) ** 2 + (y - cy) ** 2 < r * r) hole[y * sw + x] = 1;
      }
      const a = rand() * 0.6 - 0.3;
      const zoom = 0.6 + rand() * 1.2;
      const h = new Float64Array([
        zoom * Math.cos(a), -zoom * Math.sin(a), rand() * 60 - 10,
        zoom * Math.sin(a), zoom * Math.cos(a), rand() * 50 - 10,
        (rand() - 0.5) * 0.004, (rand() - 0.5) * 0.004, 1,
      ]);
      const y = Math.floor(rand() * 80);
      const x0 = Math.floor(rand() * 80);
      const x1 = x0 + 3 + Math.floor(rand() * 29);
      if (!runMasked(h, x0, x1, y, hole, sw, sh)) continue;
      passed++;
      for (let x = x0; x <= x1; x++) {
        const z = h[6] * x + h[7] * y + h[8];
        const qx = (h[0] * x + h[1] * y + h[2]) / z;
        const qy = (h[3] * x + h[4] * y + h[5]) / z;
        expect(sampleRgb(rgb, hole, sw, sh, qx, qy, out, 0), `case ${c}, pixel ${x}`).toBe(false);
        refusedOneByOne++;
      }
    }
    // The test means something only if many runs were passed over.
    expect(passed).toBeGreaterThan(300);
    expect(refusedOneByOne).toBeGreaterThan(passed * 4);
  });

  it('never passes over a run with one visible pixel under it', () => {
    const sw = 64;
    const sh = 48;
    const hole = new Uint8Array(sw * sh).fill(1);
    const identity = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(runMasked(identity, 10, 40, 20, hole, sw, sh)).toBe(true);
    hole[20 * sw + 33] = 0;
    expect(runMasked(identity, 10, 40, 20, hole, sw, sh)).toBe(false);
    // At the frame's edge the box would leave the frame: tested one by one.
    expect(runMasked(identity, 0, 8, 5, new Uint8Array(sw * sh).fill(1), sw, sh)).toBe(false);
  });
});

describe('setPixels', () => {
  it('lists the same pixels as a whole-frame scan, ascending, on sparse, dense and empty masks', () => {
    const rand = seededRandom(17);
    for (let c = 0; c < 200; c++) {
      const width = 1 + Math.floor(rand() * 40);
      const height = 1 + Math.floor(rand() * 30);
      const density = c % 10 === 0 ? 0 : rand() * rand();
      const data = Uint8Array.from({ length: width * height }, () => (rand() < density ? 1 + Math.floor(rand() * 255) : 0));
      const plain: number[] = [];
      for (let i = 0; i < data.length; i++) if (data[i]) plain.push(i);
      expect(Array.from(setPixels({ width, height, data })), `case ${c}`).toEqual(plain);
    }
  });
});

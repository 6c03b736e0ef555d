// The separable resampler (cached horizontal rows) against the direct per-pixel bilinear formula,
// and the fused threshold and composite passes against the unfused path they replace.
import { describe, expect, it } from 'vitest';
import { bilinearTaps, resampleBilinear, type Region } from '../../src/engine/image/bilinear';
import { compositeBilinear } from '../../src/engine/image/compositeBilinear';
import { thresholdBilinear } from '../../src/engine/image/thresholdBilinear';
import { compositeFill } from '../../src/engine/lite/fill/composite';
import { seededRandom } from '../helpers/packs/seededRandom';

/** Direct evaluation, one output value at a time (the resampler's original form). */
function direct(src: ArrayLike<number>, sw: number, sh: number, channels: 1 | 3, dw: number, dh: number, r: Region): Float32Array {
  const xs = bilinearTaps(sw, dw);
  const ys = bilinearTaps(sh, dh);
  const out = new Float32Array(r.width * r.height * channels);
  let o = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    const r0 = ys.lo[y] * sw * channels;
    const r1 = ys.hi[y] * sw * channels;
    const fy = ys.frac[y];
    for (let x = r.x; x < r.x + r.width; x++) {
      const fx = xs.frac[x];
      for (let c = 0; c < channels; c++) {
        const a0 = src[r0 + xs.lo[x] * channels + c];
        const a1 = src[r0 + xs.hi[x] * channels + c];
        const b0 = src[r1 + xs.lo[x] * channels + c];
        const b1 = src[r1 + xs.hi[x] * channels + c];
        const top = channels === 1 ? a0 + (a1 - a0) * fx : a0 * (1 - fx) + a1 * fx;
        const bottom = channels === 1 ? b0 + (b1 - b0) * fx : b0 * (1 - fx) + b1 * fx;
        out[o++] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

const same = (a: Float32Array | Uint8Array, b: Float32Array | Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('resampleBilinear', () => {
  const rng = seededRandom(11);
  const gray = rng.uniforms(13 * 9);
  const rgb = Uint8Array.from({ length: 13 * 9 * 3 }, () => Math.floor(rng.next() * 256));

  it('equals the direct formula bit for bit, up, down, whole and by region', () => {
    for (const [dw, dh] of [[41, 30], [5, 4], [13, 9], [100, 7]] as const) {
      for (const r of [{ x: 0, y: 0, width: dw, height: dh }, { x: 1, y: 2, width: dw - 3, height: dh - 2 }]) {
        expect(same(resampleBilinear(gray, 13, 9, 1, dw, dh, r), direct(gray, 13, 9, 1, dw, dh, r))).toBe(true);
        expect(same(resampleBilinear(rgb, 13, 9, 3, dw, dh, r), direct(rgb, 13, 9, 3, dw, dh, r))).toBe(true);
      }
    }
  });
});

describe('thresholdBilinear', () => {
  it('marks exactly the pixels whose resampled value reaches the threshold, and counts them', () => {
    const rng = seededRandom(5);
    const mask = rng.uniforms(16 * 10);
    for (const r of [{ x: 0, y: 0, width: 71, height: 45 }, { x: 10, y: 3, width: 33, height: 40 }]) {
      const soft = resampleBilinear(mask, 16, 10, 1, 71, 45, r);
      const expected = Uint8Array.from(soft, (v) => (v >= 0.5 ? 255 : 0));
      const out = new Uint8Array(r.width * r.height + 5).fill(3);
      const marked = thresholdBilinear(mask, 16, 10, 71, 45, r, 0.5, out);
      expect(same(out.subarray(0, r.width * r.height), expected)).toBe(true);
      expect(marked).toBe(expected.reduce((n, v) => n + (v ? 1 : 0), 0));
      expect(marked).toBeGreaterThan(0);
    }
  });
});

describe('compositeBilinear', () => {
  const [fw, fh, w, h] = [12, 8, 50, 33];
  const rng = seededRandom(9);
  const fill = Float32Array.from({ length: fw * fh * 3 }, () => rng.next() * 255);
  const source = Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rng.next() * 256));
  const alpha = Uint8Array.from({ length: w * h }, (_, i) => (i % 7 === 0 ? 0 : i % 5 === 0 ? 255 : Math.floor(rng.next() * 256)));

  it('equals resample, round, then the Lite compositeFill over the region; untouched outside', () => {
    const region = { x: 4, y: 6, width: 30, height: 20 };
    const expected = source.slice();
    const fillBytes = Uint8Array.from(resampleBilinear(fill, fw, fh, 3, w, h, region), (v) => Math.round(v));
    const crop = (data: Uint8Array, ch: number) => {
      const out = new Uint8Array(region.width * region.height * ch);
      for (let y = 0; y < region.height; y++) out.set(data.subarray(((region.y + y) * w + region.x) * ch, ((region.y + y) * w + region.x + region.width) * ch), y * region.width * ch);
      return out;
    };
    const mixed = compositeFill({ width: region.width, height: region.height, data: crop(source, 3) }, { width: region.width, height: region.height, data: fillBytes }, { width: region.width, height: region.height, data: crop(alpha, 1) });
    for (let y = 0; y < region.height; y++) expected.set(mixed.data.subarray(y * region.width * 3, (y + 1) * region.width * 3), ((region.y + y) * w + region.x) * 3);
    const frame = source.slice();
    compositeBilinear(frame, w, h, { data: fill, width: fw, height: fh }, alpha, region);
    expect(same(frame, expected)).toBe(true);
    expect(same(frame, source)).toBe(false);
  });

  it('without an alpha replaces the whole region with the rounded fill', () => {
    const frame = source.slice();
    const all = { x: 0, y: 0, width: w, height: h };
    compositeBilinear(frame, w, h, { data: fill, width: fw, height: fh }, undefined, all);
    expect(same(frame, Uint8Array.from(resampleBilinear(fill, fw, fh, 3, w, h), (v) => Math.round(v)))).toBe(true);
  });

  it('rejects a frame or alpha of the wrong size', () => {
    const all = { x: 0, y: 0, width: w, height: h };
    expect(() => compositeBilinear(new Uint8Array(10), w, h, { data: fill, width: fw, height: fh }, alpha, all)).toThrow(/frame holds 10 bytes/);
    expect(() => compositeBilinear(source.slice(), w, h, { data: fill, width: fw, height: fh }, new Uint8Array(3), all)).toThrow(/alpha holds 3/);
  });
});

// toWorkingImage: the reference's PIL resize (held to PIL itself in test/lgvi/parity) then the
// reference's mapping to [-1, 1], into the planar layout.
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/engine/media/types';
import { pilBilinearResize } from '../../../src/engine/lgvi/sampler/referenceResize';
import { toWorkingImage } from '../../../src/engine/lgvi/sampler/workingImage';

function frame(width: number, height: number, seed: number): Frame {
  const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 24) & 255);
  return { width, height, channels: 3, data, index: 0, sourceIndex: 0 } as Frame;
}

describe('toWorkingImage', () => {
  for (const [w, h, tw, th] of [
    [1920, 1080, 512, 320],
    [568, 320, 512, 320],
    [333, 187, 64, 40],
    [40, 24, 64, 40],
  ]) {
    it(`${w}x${h} -> ${tw}x${th}: PIL's resize, then v/255*2-1 in float32, planar`, () => {
      const f = frame(w, h, w + h);
      const got = toWorkingImage(f, tw, th);
      const rgb = pilBilinearResize(f.data, w, h, 3, tw, th);
      const plane = tw * th;
      for (const p of [0, 1, plane >> 1, plane - 1]) {
        for (let c = 0; c < 3; c++) expect(got[c * plane + p]).toBe(Math.fround(Math.fround(rgb[p * 3 + c] / 255) * 2 - 1));
      }
      expect(Math.min(...got.subarray(0, 1000))).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...got.subarray(0, 1000))).toBeLessThanOrEqual(1);
    });
  }

  it('antialiases when shrinking: a one-pixel checkerboard averages to grey instead of aliasing', () => {
    const w = 1920;
    const h = 1080;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.fill((x + y) % 2 ? 255 : 0, (y * w + x) * 3, (y * w + x) * 3 + 3);
    const out = pilBilinearResize(data, w, h, 3, 512, 320);
    expect(out.reduce((a, v) => Math.min(a, v), 255)).toBeGreaterThan(100);
    expect(out.reduce((a, v) => Math.max(a, v), 0)).toBeLessThan(156);
  });

  it('keeps an image of the working size as it is', () => {
    const f = frame(64, 40, 3);
    expect(Array.from(pilBilinearResize(f.data, 64, 40, 3, 64, 40))).toEqual(Array.from(f.data));
  });

  it('refuses frames that are not packed RGB', () => {
    const gray = { ...frame(8, 8, 1), channels: 1 } as Frame;
    expect(() => toWorkingImage(gray, 8, 8)).toThrow(/1 channels, expected RGB/);
  });
});

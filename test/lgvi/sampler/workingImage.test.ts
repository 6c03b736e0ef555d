// toWorkingImage fuses resampling and the [-1, 1] mapping into one pass: it must give the very
// bits of the two-step form it replaced (resampleBilinear, then value / 127.5 - 1 per channel
// plane), when shrinking, when enlarging, and with odd sizes.
import { describe, expect, it } from 'vitest';
import { resampleBilinear } from '../../../src/engine/image/bilinear';
import type { Frame } from '../../../src/engine/media/types';
import { toWorkingImage } from '../../../src/engine/lgvi/sampler/workingImage';

function frame(width: number, height: number, seed: number): Frame {
  const data = Uint8Array.from({ length: width * height * 3 }, (_, i) => (Math.imul(i + seed, 2654435761) >>> 24) & 255);
  return { width, height, channels: 3, data, index: 0, sourceIndex: 0 } as Frame;
}

function twoStep(f: Frame, width: number, height: number): Float32Array {
  const plane = width * height;
  const rgb = resampleBilinear(f.data, f.width, f.height, 3, width, height);
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[c * plane + p] = rgb[p * 3 + c] / 127.5 - 1;
  return out;
}

describe('toWorkingImage', () => {
  for (const [w, h, tw, th] of [
    [1920, 1080, 512, 320],
    [568, 320, 512, 320],
    [333, 187, 64, 40],
    [40, 24, 64, 40],
  ]) {
    it(`${w}x${h} -> ${tw}x${th}: the same bits as resampling then mapping`, () => {
      const f = frame(w, h, w + h);
      const got = toWorkingImage(f, tw, th);
      const want = twoStep(f, tw, th);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      expect(Math.min(...got.subarray(0, 1000))).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...got.subarray(0, 1000))).toBeLessThanOrEqual(1);
    });
  }

  it('refuses frames that are not packed RGB', () => {
    const gray = { ...frame(8, 8, 1), channels: 1 } as Frame;
    expect(() => toWorkingImage(gray, 8, 8)).toThrow(/1 channels, expected RGB/);
  });
});

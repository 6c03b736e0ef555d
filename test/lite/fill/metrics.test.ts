import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { flickerBetween, holeSquaredError, psnrFrom, ssimLuma } from '../../../src/engine/eval/imageMetrics';
import { encodePng } from '../../../bench/quality/pngEncode';
import { blankMask, copyImage, renderTexture } from './syntheticFrames';

describe('quality metrics', () => {
  const a = renderTexture(64, 48);

  it('SSIM of identical images is 1, and lower once noise is added', () => {
    const s = ssimLuma(a, a, null);
    expect(s.sum / s.count).toBeCloseTo(1, 12);
    const noisy = copyImage(a);
    for (let i = 0; i < noisy.data.length; i += 3) noisy.data[i] = Math.min(255, noisy.data[i] + ((i * 7919) % 41));
    const n = ssimLuma(a, noisy, null);
    expect(n.sum / n.count).toBeLessThan(0.99);
  });

  it('PSNR counts only hole pixels and is infinite for a perfect match', () => {
    const hole = blankMask(64, 48);
    hole.data[10] = 255;
    const b = copyImage(a);
    b.data[0] = (b.data[0] + 50) % 256; // outside the hole: ignored
    const e = holeSquaredError(b, a, hole);
    expect(e.count).toBe(3);
    expect(psnrFrom(e.sum, e.count)).toBe(Infinity);
    b.data[30] = (a.data[30] + 10) % 256;
    const e2 = holeSquaredError(b, a, hole);
    expect(psnrFrom(e2.sum, e2.count)).toBeCloseTo(10 * Math.log10((255 * 255 * 3) / 100), 6);
  });

  it('flicker is 0 when the output changes exactly as the truth does, and sees an unstable fill', () => {
    const hole = blankMask(64, 48);
    hole.data.fill(255, 0, 200);
    const a2 = copyImage(a);
    for (let i = 0; i < a2.data.length; i++) a2.data[i] = Math.min(255, a2.data[i] + 3);
    expect(flickerBetween(a, a2, a, a2, hole, hole).sum).toBe(0);
    const unstable = copyImage(a2);
    for (let i = 0; i < 200 * 3; i++) unstable.data[i] = 255 - unstable.data[i];
    const f = flickerBetween(a, unstable, a, a2, hole, hole);
    expect(f.sum / f.count).toBeGreaterThan(10);
  });

  it('writes a PNG that ffmpeg decodes back to the same pixels', () => {
    const png = encodePng(a);
    const raw = execFileSync('ffmpeg', ['-v', 'error', '-f', 'png_pipe', '-i', '-', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { input: png });
    expect(Buffer.compare(raw, Buffer.from(a.data))).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { sampleRgb } from '../../../src/engine/lite/fill/sampleRgb';

/** The bilinear value of channel c at (qx, qy) by its definition, rounded. */
function bilinear(rgb: Uint8Array, width: number, qx: number, qy: number, c: number): number {
  const x0 = Math.floor(qx);
  const y0 = Math.floor(qy);
  const fx = qx - x0;
  const fy = qy - y0;
  const p = (x: number, y: number) => rgb[(y * width + x) * 3 + c];
  const top = p(x0, y0) + (p(x0 + 1, y0) - p(x0, y0)) * fx;
  const bot = p(x0, y0 + 1) + (p(x0 + 1, y0 + 1) - p(x0, y0 + 1)) * fx;
  return Math.round(top + (bot - top) * fy);
}

describe('sampleRgb near a mask', () => {
  const width = 8;
  const height = 8;
  const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 97 + 13) & 255);
  const qx = 3.3;
  const qy = 4.6;

  it('samples bicubic with the whole 4x4 support clear, bilinear with any of its twelve outer pixels masked, and refuses a masked 2x2 core', () => {
    const clear = new Uint8Array(3);
    expect(sampleRgb(rgb, new Uint8Array(width * height), width, height, qx, qy, clear, 0)).toBe(true);
    const lin = [0, 1, 2].map((c) => bilinear(rgb, width, qx, qy, c));
    expect(Array.from(clear)).not.toEqual(lin); // bicubic differs from bilinear on this texture
    for (let v = -1; v <= 2; v++) {
      for (let u = -1; u <= 2; u++) {
        const hole = new Uint8Array(width * height);
        hole[(4 + v) * width + 3 + u] = 1;
        const out = new Uint8Array(3);
        const core = u >= 0 && u <= 1 && v >= 0 && v <= 1;
        expect(sampleRgb(rgb, hole, width, height, qx, qy, out, 0), `masked at ${u}, ${v}`).toBe(!core);
        if (!core) expect(Array.from(out), `masked at ${u}, ${v}`).toEqual(lin);
      }
    }
  });

  it('is unaffected by masked pixels just outside the support', () => {
    const hole = new Uint8Array(width * height);
    for (const [u, v] of [[-2, 0], [3, 0], [0, -2], [0, 3], [-2, -2], [3, 3]]) hole[(4 + v) * width + 3 + u] = 1;
    const a = new Uint8Array(3);
    const b = new Uint8Array(3);
    sampleRgb(rgb, hole, width, height, qx, qy, a, 0);
    sampleRgb(rgb, null, width, height, qx, qy, b, 0);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});

import { describe, expect, it } from 'vitest';
import { consistentFlow, denseFlow } from '../../src/engine/eval/opticalFlow';
import { renderTexture } from '../lite/fill/syntheticFrames';

function median(a: Float32Array, keep: Uint8Array): number {
  const v = Array.from(a).filter((_, i) => keep[i]).sort((x, y) => x - y);
  return v[v.length >> 1];
}

describe('dense optical flow', () => {
  it('recovers a sub-pixel shift of a textured picture, and the backward flow confirms it', () => {
    const a = renderTexture(96, 72);
    // b shows the scene moved right by 2.6 px and up by 1.3 px: pixel (x, y) of a is at (x + 2.6, y - 1.3) in b.
    const b = renderTexture(96, 72, (x, y, p) => {
      p[0] = x - 2.6;
      p[1] = y + 1.3;
    });
    const fwd = denseFlow(a, b);
    const bwd = denseFlow(b, a);
    const ok = consistentFlow(fwd, bwd);
    const inner = new Uint8Array(ok.length);
    for (let y = 8; y < 64; y++) for (let x = 8; x < 88; x++) inner[y * 96 + x] = 1;
    expect(median(fwd.u, inner)).toBeCloseTo(2.6, 1);
    expect(median(fwd.v, inner)).toBeCloseTo(-1.3, 1);
    let trusted = 0;
    for (let i = 0; i < ok.length; i++) trusted += ok[i] & inner[i];
    expect(trusted / inner.reduce((s, v) => s + v, 0)).toBeGreaterThan(0.9);
  });

  it('is zero on a still picture and scales with a picture that must be shrunk first', () => {
    const a = renderTexture(200, 40);
    const still = denseFlow(a, a, 64);
    expect(Math.max(...Array.from(still.u).map(Math.abs))).toBeLessThan(1e-3);
    const b = renderTexture(200, 40, (x, y, p) => {
      p[0] = x - 4;
      p[1] = y;
    });
    const f = denseFlow(a, b, 100);
    expect(f.width).toBe(200);
    const keep = new Uint8Array(f.u.length);
    for (let y = 8; y < 32; y++) for (let x = 20; x < 180; x++) keep[y * 200 + x] = 1;
    expect(median(f.u, keep)).toBeCloseTo(4, 0);
  });
});

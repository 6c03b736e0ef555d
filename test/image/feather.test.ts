// The image/ feather against the Lite engine's featherMask (the reference rule it reproduces):
// identical bytes on random blobs, masks touching each frame edge, and radii from 0 up.
import { describe, expect, it } from 'vitest';
import { featherMask } from '../../src/engine/image/feather';
import { featherMask as liteFeather } from './referenceFeather';
import { seededRandom } from '../helpers/packs/seededRandom';

/** Random discs (some cut by the frame's edges) plus sparse noise. */
function blobs(seed: number, w: number, h: number): Uint8Array {
  const rng = seededRandom(seed);
  const data = new Uint8Array(w * h);
  for (let k = 0; k < 4; k++) {
    const cx = rng.uniform(-5, w + 5);
    const cy = rng.uniform(-5, h + 5);
    const r = rng.uniform(2, 14);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data[y * w + x] = 255;
  }
  for (let i = 0; i < w * h; i++) if (rng.next() < 0.01) data[i] = 128;
  return data;
}

describe('featherMask (image)', () => {
  it('gives the Lite featherMask bytes on random masks and radii', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const [w, h] = [40 + seed, 31];
      const data = blobs(seed, w, h);
      for (const radius of [0, 1, 2, 3.5, 6, 20]) {
        const fast = featherMask({ width: w, height: h, data }, radius);
        const reference = liteFeather({ width: w, height: h, data }, radius);
        expect(Buffer.from(fast.data).equals(Buffer.from(reference.data))).toBe(true);
      }
    }
  });

  it('treats every frame edge as inside the mask, as the reference does', () => {
    const [w, h] = [16, 12];
    for (const side of ['left', 'right', 'top', 'bottom', 'all'] as const) {
      const data = new Uint8Array(w * h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const inside = side === 'all' || (side === 'left' ? x < 6 : side === 'right' ? x >= w - 6 : side === 'top' ? y < 5 : y >= h - 5);
          if (inside) data[y * w + x] = 255;
        }
      }
      const fast = featherMask({ width: w, height: h, data }, 3);
      expect(Buffer.from(fast.data).equals(Buffer.from(liteFeather({ width: w, height: h, data }, 3).data))).toBe(true);
      if (side === 'all') expect(fast.data.every((v) => v === 255)).toBe(true);
    }
  });

  it('clears a reused output buffer and gives an all-zero result for an empty mask', () => {
    const out = new Uint8Array(20).fill(9);
    expect(featherMask({ width: 5, height: 4, data: new Uint8Array(20) }, 2, out).data.every((v) => v === 0)).toBe(true);
  });
});

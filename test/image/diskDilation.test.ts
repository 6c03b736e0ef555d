// The O(pixels) disk dilation against the definition (a pixel is set when a set pixel lies within
// Euclidean distance r), evaluated by brute force, on random masks of several densities and radii.
import { describe, expect, it } from 'vitest';
import { dilateDisk } from '../../src/engine/image/diskDilation';
import { seededRandom } from '../helpers/packs/seededRandom';

function bruteForce(data: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  const r = Math.floor(radius);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      search: for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h || dx * dx + dy * dy > r * r) continue;
          if (data[yy * w + xx]) {
            out[y * w + x] = 255;
            break search;
          }
        }
      }
    }
  }
  return out;
}

function randomMask(seed: number, w: number, h: number, density: number): Uint8Array {
  const rng = seededRandom(seed);
  return Uint8Array.from({ length: w * h }, () => (rng.next() < density ? 1 + Math.floor(rng.next() * 255) : 0));
}

describe('dilateDisk', () => {
  it('equals the brute-force disk dilation on random masks for radii 0 to 13', () => {
    const [w, h] = [37, 29];
    let checked = 0;
    for (const density of [0.002, 0.02, 0.2]) {
      for (const radius of [0, 1, 2, 3, 4.7, 5, 8, 13]) {
        const data = randomMask(Math.round(radius * 100 + density * 1e4), w, h, density);
        const fast = dilateDisk({ width: w, height: h, data }, radius);
        expect(Buffer.from(fast.data).equals(Buffer.from(bruteForce(data, w, h, radius)))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(24);
  });

  it('grows a single pixel into the digital disk, clipped at the frame edge', () => {
    const [w, h] = [20, 12];
    const data = new Uint8Array(w * h);
    data[2 * w + 1] = 7;
    const out = dilateDisk({ width: w, height: h, data }, 5).data;
    expect(out[2 * w + 6]).toBe(255); // (5, 0) away
    expect(out[2 * w + 7]).toBe(0);
    expect(out[6 * w + 4]).toBe(255); // (3, 4): 25 <= 25
    expect(out[7 * w + 5]).toBe(0); // (4, 5): 41 > 25
    expect(out[0]).toBe(255);
  });

  it('writes into a given buffer, reused across calls of different sizes', () => {
    const big = randomMask(3, 50, 40, 0.01);
    const small = randomMask(4, 9, 7, 0.1);
    const out = new Uint8Array(50 * 40);
    dilateDisk({ width: 50, height: 40, data: big }, 6, out);
    expect(Buffer.from(out).equals(Buffer.from(bruteForce(big, 50, 40, 6)))).toBe(true);
    const part = out.subarray(0, 63);
    dilateDisk({ width: 9, height: 7, data: small }, 2, part);
    expect(Buffer.from(part).equals(Buffer.from(bruteForce(small, 9, 7, 2)))).toBe(true);
    expect(() => dilateDisk({ width: 9, height: 7, data: small }, 2, new Uint8Array(10))).toThrow(/holds 10 pixels/);
  });
});

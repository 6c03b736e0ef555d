import { describe, expect, it } from 'vitest';
import { masksFromMatte } from '../../../src/engine/lite/mask/matteInput';
import { isLacunaError } from '../../../src/engine/util/errors';
import type { GrayImage } from '../../../src/engine/lite/types';

function matte(w: number, h: number, set: [number, number][], value = 255): GrayImage {
  const data = new Uint8Array(w * h);
  for (const [x, y] of set) data[y * w + x] = value;
  return { width: w, height: h, data };
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('masksFromMatte', () => {
  const clip = { width: 8, height: 4, frameCount: 3 };

  it('uses one image for every frame and thresholds it exactly (no growth by default)', () => {
    const masks = masksFromMatte([matte(8, 4, [[1, 1], [2, 1]], 200)], clip);
    expect(masks).toHaveLength(3);
    for (const m of masks) expect(Array.from(m.data).filter(Boolean)).toHaveLength(2);
    expect(masks[0].data[1 * 8 + 1]).toBe(255);
  });

  it('scales a half-resolution matte of the same shape with nearest neighbour', () => {
    const [m] = masksFromMatte([matte(4, 2, [[0, 0]])], { ...clip, frameCount: 1 });
    expect(Array.from(m.data).filter(Boolean)).toHaveLength(4);
    expect([m.data[0], m.data[1], m.data[8], m.data[9]]).toEqual([255, 255, 255, 255]);
  });

  it('refuses a matte of another shape, another length, or an empty one, saying what to fix', () => {
    const shape = errorOf(() => masksFromMatte([matte(5, 5, [[0, 0]])], clip));
    expect(isLacunaError(shape, 'BAD_ARGUMENT')).toBe(true);
    expect((shape as Error).message).toMatch(/5x5 but the clip is 8x4/);
    const length = errorOf(() => masksFromMatte([matte(8, 4, [[0, 0]]), matte(8, 4, [[0, 0]])], clip));
    expect((length as Error).message).toMatch(/2 frames but the clip has 3/);
    const empty = errorOf(() => masksFromMatte([matte(8, 4, [[0, 0]], 100)], clip));
    expect((empty as Error).message).toMatch(/empty/);
  });

  it('grows by the requested margin', () => {
    const [m] = masksFromMatte([matte(8, 4, [[4, 2]])], { ...clip, frameCount: 1 }, { dilate: 1 });
    expect(Array.from(m.data).filter(Boolean)).toHaveLength(5);
  });
});

// The compositor thread gives byte for byte what the matte and composite give on the calling
// thread, takes the source frame's buffer instead of copying it, and reports a failure with the
// frame named.
import { afterEach, describe, expect, it } from 'vitest';
import { compositeFrame } from '../../../src/engine/lgvi/windows/compositeFrame';
import { Compositor } from '../../../src/engine/lgvi/windows/compositor';
import { sourceMatte } from '../../../src/engine/lgvi/windows/removalMatte';
import type { Frame } from '../../../src/engine/media/types';
import { seededRandom } from '../../helpers/packs/seededRandom';

const W = 320;
const H = 180;
const FILL_W = 64;
const FILL_H = 40;

function frame(seed: number, index: number): Frame {
  const rng = seededRandom(seed);
  const data = Uint8Array.from({ length: W * H * 3 }, () => Math.floor(rng.next() * 256));
  return { index, sourceIndex: index + 10, time: { num: index, den: 25 }, width: W, height: H, channels: 3, data };
}

/** A soft mask at fill size with a blob whose place depends on the seed. */
function mask(seed: number): Float32Array {
  const m = new Float32Array(FILL_W * FILL_H);
  const cx = 10 + (seed * 7) % 40;
  for (let y = 0; y < FILL_H; y++) for (let x = 0; x < FILL_W; x++) m[y * FILL_W + x] = Math.max(0, 1 - Math.hypot(x - cx, y - 20) / 12);
  return m;
}

const fill = Float32Array.from({ length: FILL_W * FILL_H * 3 }, (_, i) => (i * 53) % 256);
const compositors: Compositor[] = [];
afterEach(async () => {
  for (const c of compositors.splice(0)) await c.close();
});

describe('Compositor (worker thread)', () => {
  it('matches sourceMatte + compositeFrame exactly, frame after frame, and moves the source buffer', async () => {
    const options = { dilate: 5, feather: 3 };
    const compositor = new Compositor(options, false);
    compositors.push(compositor);
    for (let i = 0; i < 3; i++) {
      const src = frame(i + 1, i);
      const expectedMatte = sourceMatte(mask(i), FILL_W, FILL_H, W, H, options);
      const expected = compositeFrame(frame(i + 1, i), fill, FILL_W, FILL_H, expectedMatte.alpha, expectedMatte.region, false);
      const done = await compositor.composite(src, fill, FILL_W, FILL_H, mask(i), FILL_W, FILL_H);
      expect(src.data.byteLength).toBe(0); // handed to the worker, not copied
      expect(Buffer.from(done.frame.data).equals(Buffer.from(expected.data))).toBe(true);
      expect(Buffer.from(done.alpha.data).equals(Buffer.from(expectedMatte.alpha.data))).toBe(true);
      expect(done.coverage).toBeCloseTo(expectedMatte.coverage, 12);
      expect(done.frame).toMatchObject({ index: i, sourceIndex: i + 10, width: W, height: H, channels: 3 });
      expect(done.alpha).toMatchObject({ index: i, channels: 1 });
    }
    // The caller's fill and mask are copied: still whole after the hand-over.
    expect(fill.length).toBe(FILL_W * FILL_H * 3);
  });

  it('replaces every pixel in full-frame mode, as compositeFrame does', async () => {
    const compositor = new Compositor({ dilate: 0, feather: 0 }, true);
    compositors.push(compositor);
    const none = new Float32Array(FILL_W * FILL_H);
    const done = await compositor.composite(frame(9, 0), fill, FILL_W, FILL_H, none, FILL_W, FILL_H);
    const emptyMatte = sourceMatte(none, FILL_W, FILL_H, W, H, { dilate: 0, feather: 0 });
    const expected = compositeFrame(frame(9, 0), fill, FILL_W, FILL_H, emptyMatte.alpha, emptyMatte.region, true);
    expect(Buffer.from(done.frame.data).equals(Buffer.from(expected.data))).toBe(true);
  });

  it('rejects with the frame named when the worker cannot composite it, and keeps working', async () => {
    const compositor = new Compositor({ dilate: 2, feather: 1 }, false);
    compositors.push(compositor);
    const bad = { ...frame(3, 7), data: new Uint8Array(10) }; // not W x H x 3 bytes
    await expect(compositor.composite(bad, fill, FILL_W, FILL_H, mask(1), FILL_W, FILL_H)).rejects.toThrow(/frame 7/);
    const ok = await compositor.composite(frame(4, 8), fill, FILL_W, FILL_H, mask(1), FILL_W, FILL_H);
    expect(ok.frame.data.length).toBe(W * H * 3);
  });

  it('spreads frames sent together over its threads, starting them only as needed, each result its own frame', async () => {
    const options = { dilate: 3, feather: 2 };
    const compositor = new Compositor(options, false, 2);
    compositors.push(compositor);
    expect(compositor.started).toBe(0);
    const one = await compositor.composite(frame(1, 0), fill, FILL_W, FILL_H, mask(0), FILL_W, FILL_H);
    expect(compositor.started).toBe(1); // one frame at a time needs one thread
    expect(one.frame.index).toBe(0);
    const together = [1, 2, 3, 4].map((i) => compositor.composite(frame(i + 1, i), fill, FILL_W, FILL_H, mask(i), FILL_W, FILL_H));
    const results = await Promise.all(together);
    expect(compositor.started).toBe(2);
    results.forEach((done, k) => {
      const i = k + 1;
      const m = sourceMatte(mask(i), FILL_W, FILL_H, W, H, options);
      const expected = compositeFrame(frame(i + 1, i), fill, FILL_W, FILL_H, m.alpha, m.region, false);
      expect(done.frame.index).toBe(i);
      expect(Buffer.from(done.frame.data).equals(Buffer.from(expected.data))).toBe(true);
    });
    expect(() => new Compositor(options, false, 0)).toThrow(/parallelism/);
  });
});

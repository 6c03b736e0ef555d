// The composite's promises: outside the (dilated) mask every source byte is kept exactly; full
// frame replaces everything; the matte follows the mask head (smoothed in time, upsampled,
// dilated, feathered). And the two-consumer frame hand-off that feeds the take and matte encoders.
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/engine/media/types';
import { compositeFill } from '../../../src/engine/lite/fill/composite';
import { featherMask } from '../../image/referenceFeather';
import { dilateMask } from '../../image/referenceDilation';
import { resampleBilinear } from '../../../src/engine/image/bilinear';
import { compositeFrame } from '../../../src/engine/lgvi/windows/compositeFrame';
import { FrameChannel } from '../../../src/engine/media/frameChannel';
import { TemporalMaskSmoother, sourceMatte } from '../../../src/engine/lgvi/windows/removalMatte';
import { seededRandom } from '../../helpers/packs/seededRandom';

const SRC_W = 568;
const SRC_H = 320;
const WORK_W = 64;
const WORK_H = 40;

function sourceFrame(seed: number): Frame {
  const rng = seededRandom(seed);
  const data = Uint8Array.from({ length: SRC_W * SRC_H * 3 }, () => Math.floor(rng.next() * 256));
  return { index: 0, sourceIndex: 0, time: { num: 0, den: 1 }, width: SRC_W, height: SRC_H, channels: 3, data };
}

/** A soft mask (latent size 8x5) with a blob in the left half. */
function blobMask(): Float32Array {
  const m = new Float32Array(8 * 5);
  for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) m[y * 8 + x] = 0.95;
  return m;
}

describe('sourceMatte', () => {
  it('upsamples the head mask to the source size, marks it, and grows it by the dilation', () => {
    const plain = sourceMatte(blobMask(), 8, 5, SRC_W, SRC_H, { dilate: 0, feather: 0 });
    const grown = sourceMatte(blobMask(), 8, 5, SRC_W, SRC_H, { dilate: 12, feather: 4 });
    const count = (a: Uint8Array) => a.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    expect(plain.coverage).toBeGreaterThan(0.05);
    expect(plain.coverage).toBeLessThan(0.3);
    expect(count(plain.alpha.data)).toBe(Math.round(plain.coverage * SRC_W * SRC_H));
    expect(count(grown.alpha.data)).toBeGreaterThan(count(plain.alpha.data));
    expect(grown.coverage).toBe(plain.coverage);
    // Left half only: the blob sits in latent columns 1..3 of 8.
    for (let y = 0; y < SRC_H; y++) for (let x = SRC_W / 2 + 40; x < SRC_W; x++) expect(grown.alpha.data[y * SRC_W + x]).toBe(0);
    // Feathered edge: values between 0 and 255 exist, the centre is solid.
    expect(grown.alpha.data.some((v) => v > 0 && v < 255)).toBe(true);
    expect(grown.alpha.data[Math.round(SRC_H * 0.5) * SRC_W + Math.round(SRC_W * 0.3)]).toBe(255);
  });

  it('computes on the mask region exactly what the whole frame gives', () => {
    // A mask touching the frame's left edge and one in the middle, against the full-frame pipeline.
    for (const mask of [blobMask(), Float32Array.from({ length: 40 }, (_, i) => (i % 8 === 0 || i === 20 ? 0.8 : 0.1))]) {
      for (const options of [{ dilate: 0, feather: 0 }, { dilate: 9, feather: 3 }, { dilate: 2, feather: 12 }]) {
        const fast = sourceMatte(mask, 8, 5, SRC_W, SRC_H, options);
        const soft = resampleBilinear(mask, 8, 5, 1, SRC_W, SRC_H);
        const binary = Uint8Array.from(soft, (v) => (v >= 0.5 ? 255 : 0));
        const whole = featherMask(dilateMask({ width: SRC_W, height: SRC_H, data: binary }, options.dilate), options.feather);
        expect(Buffer.from(fast.alpha.data).equals(Buffer.from(whole.data))).toBe(true);
        expect(fast.coverage).toBe(binary.reduce((n, v) => n + (v ? 1 : 0), 0) / (SRC_W * SRC_H));
      }
    }
  });

  it('gives an empty matte for a head output under the threshold everywhere', () => {
    const m = sourceMatte(new Float32Array(40).fill(0.3), 8, 5, SRC_W, SRC_H, { dilate: 8, feather: 2 });
    expect(m.coverage).toBe(0);
    expect(m.region).toBeUndefined();
    expect(m.alpha.data.every((v) => v === 0)).toBe(true);
  });
});

describe('TemporalMaskSmoother', () => {
  it('averages each frame with its neighbours (1 2 1), one frame behind, ends repeated', () => {
    const s = new TemporalMaskSmoother();
    const out = [s.push(Float32Array.of(0)), s.push(Float32Array.of(1)), s.push(Float32Array.of(0)), s.push(Float32Array.of(0)), s.flush()];
    expect(out[0]).toBeUndefined();
    expect(out.slice(1).map((m) => m![0])).toEqual([0.25, 0.5, 0.25, 0]);
  });

  it('fills a one-frame dropout of the mask above the threshold', () => {
    const s = new TemporalMaskSmoother();
    s.push(Float32Array.of(0.9));
    s.push(Float32Array.of(0.1));
    expect(s.push(Float32Array.of(0.9))![0]).toBeGreaterThanOrEqual(0.5);
  });
});

describe('compositeFrame', () => {
  const fill = Float32Array.from({ length: WORK_W * WORK_H * 3 }, (_, i) => (i * 37) % 256);

  it('keeps every source byte exactly where the matte is 0 and changes the masked pixels', () => {
    const src = sourceFrame(1);
    const { alpha, region } = sourceMatte(blobMask(), 8, 5, SRC_W, SRC_H, { dilate: 6, feather: 3 });
    const out = compositeFrame(src, fill, WORK_W, WORK_H, alpha, region, false);
    expect(out.width).toBe(SRC_W);
    expect(out.height).toBe(SRC_H);
    let kept = 0;
    let differentOutside = 0;
    let changed = 0;
    for (let p = 0; p < SRC_W * SRC_H; p++) {
      for (let c = 0; c < 3; c++) {
        const same = out.data[p * 3 + c] === src.data[p * 3 + c];
        if (alpha.data[p] === 0) {
          kept++;
          if (!same) differentOutside++;
        } else if (!same) changed++;
      }
    }
    expect(differentOutside).toBe(0);
    expect(kept).toBeGreaterThan(0);
    expect(changed).toBeGreaterThan(0.9 * (SRC_W * SRC_H * 3 - kept));
  });

  it('equals the whole-frame composite (Lite compositeFill) to 1 level, computing only the region', () => {
    const src = sourceFrame(4);
    const { alpha, region } = sourceMatte(blobMask(), 8, 5, SRC_W, SRC_H, { dilate: 5, feather: 4 });
    const out = compositeFrame(src, fill, WORK_W, WORK_H, alpha, region, false);
    const rounded = { width: WORK_W, height: WORK_H, data: Uint8Array.from(fill, (v) => Math.round(v)) };
    const whole = compositeFill({ width: SRC_W, height: SRC_H, data: src.data }, rounded, alpha);
    let worst = 0;
    for (let i = 0; i < whole.data.length; i++) worst = Math.max(worst, Math.abs(whole.data[i] - out.data[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('replaces every pixel in full-frame mode', () => {
    const src = sourceFrame(2);
    const noMask = { width: SRC_W, height: SRC_H, data: new Uint8Array(SRC_W * SRC_H) };
    const out = compositeFrame(src, fill, WORK_W, WORK_H, noMask, undefined, true);
    const same = compositeFrame(sourceFrame(3), fill, WORK_W, WORK_H, noMask, undefined, true);
    // The output no longer depends on the source at all.
    expect(Buffer.from(out.data).equals(Buffer.from(same.data))).toBe(true);
    expect(Buffer.from(out.data).equals(Buffer.from(src.data))).toBe(false);
  });
});

describe('FrameChannel', () => {
  const frame = (i: number): Frame => ({ index: i, sourceIndex: i, time: { num: i, den: 1 }, width: 1, height: 1, channels: 1, data: Uint8Array.of(i) });

  it('hands frames over in order with at most `capacity` queued', async () => {
    const channel = new FrameChannel(2);
    const got: number[] = [];
    const consumer = (async () => {
      for await (const f of channel) {
        got.push(f.index);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    for (let i = 0; i < 10; i++) await channel.push(frame(i));
    channel.end();
    await consumer;
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('rejects pushes once the consumer has stopped, and passes a producer failure on', async () => {
    const channel = new FrameChannel(1);
    const consumer = (async () => {
      for await (const f of channel) if (f.index === 1) break;
    })();
    await channel.push(frame(0));
    await channel.push(frame(1));
    await consumer;
    await expect(channel.push(frame(2))).rejects.toThrow(/stopped early/);
    const failing = new FrameChannel();
    const reader = (async () => {
      for await (const _ of failing) void _;
    })();
    failing.fail(new Error('boom'));
    await expect(reader).rejects.toThrow('boom');
  });
});

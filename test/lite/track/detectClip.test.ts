import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/engine/media/types';
import type { Detection, RgbImage } from '../../../src/engine/lite/types';
import { detectClip } from '../../../src/engine/lite/track/detectClip';
import { isLacunaError } from '../../../src/engine/util/errors';

/**
 * Frames from a decoder that reuses ONE buffer for every frame (as real decoders may): each
 * frame's pixels all hold its index.
 */
async function* reusingFrames(count: number, width = 4, height = 2, channels: 1 | 3 = 3): AsyncGenerator<Frame> {
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < count; i++) {
    data.fill(i);
    yield { index: i, sourceIndex: i, time: { num: i, den: 25 }, width, height, channels, data };
  }
}

/** A detector double that reports one box per call whose score is the frame's pixel value / 100. */
function recordingDetector() {
  const calls: number[] = [];
  return {
    calls,
    detect: async (frame: RgbImage, frameIndex: number): Promise<Detection[]> => {
      calls.push(frameIndex);
      return [{ frame: frameIndex, label: 'bird', score: frame.data[0] / 100, box: { x: 0, y: 0, width: 1, height: 1 } }];
    },
  };
}

describe('detectClip', () => {
  it('examines every frame by default', async () => {
    const det = recordingDetector();
    const clip = await detectClip(reusingFrames(5), det);
    expect(det.calls).toEqual([0, 1, 2, 3, 4]);
    expect(clip.frameCount).toBe(5);
    expect(clip.frameSize).toEqual({ width: 4, height: 2 });
    expect(clip.detections.map((d) => d![0].score)).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
  });

  it('examines every k-th frame and the last, leaving the rest null', async () => {
    const det = recordingDetector();
    const progress: number[] = [];
    const clip = await detectClip(reusingFrames(10), det, { every: 4, onProgress: (n) => progress.push(n) });
    expect(det.calls).toEqual([0, 4, 8, 9]);
    expect(clip.detections.map((d) => (d ? 'D' : '.')).join('')).toBe('D...D...DD');
    // The last frame was detected after its buffer had been reused: it must still be frame 9's pixels.
    expect(clip.detections[9]![0].score).toBe(0.09);
    expect(progress).toEqual([1, 5, 9, 10]);
  });

  it('does not detect the last frame twice when it is a keyframe', async () => {
    const det = recordingDetector();
    await detectClip(reusingFrames(9), det, { every: 4 });
    expect(det.calls).toEqual([0, 4, 8]);
  });

  it('handles an empty clip', async () => {
    const clip = await detectClip(reusingFrames(0), recordingDetector(), { every: 3 });
    expect(clip).toEqual({ frameCount: 0, frameSize: { width: 0, height: 0 }, detections: [] });
  });

  it('rejects a bad interval, gray frames and a size change with LacunaErrors', async () => {
    const bad = await detectClip(reusingFrames(3), recordingDetector(), { every: 0 }).catch((e) => e);
    expect(isLacunaError(bad, 'BAD_ARGUMENT')).toBe(true);
    const gray = await detectClip(reusingFrames(3, 4, 2, 1), recordingDetector()).catch((e) => e);
    expect(isLacunaError(gray, 'BAD_ARGUMENT')).toBe(true);
    async function* resized(): AsyncGenerator<Frame> {
      yield* reusingFrames(1, 4, 2);
      yield { index: 1, sourceIndex: 1, time: { num: 1, den: 25 }, width: 2, height: 2, channels: 3, data: new Uint8Array(12) };
    }
    const sized = await detectClip(resized(), recordingDetector()).catch((e) => e);
    expect(isLacunaError(sized, 'MEDIA_UNREADABLE')).toBe(true);
    expect((sized as Error).message).toMatch(/2x2/);
  });

  it('stops when its signal fires', async () => {
    const ac = new AbortController();
    const det = recordingDetector();
    const slow = {
      detect: async (f: RgbImage, i: number) => {
        if (i === 2) ac.abort();
        return det.detect(f, i);
      },
    };
    const e = await detectClip(reusingFrames(10), slow, { signal: ac.signal }).catch((x) => x);
    expect(isLacunaError(e, 'CANCELLED')).toBe(true);
    expect(det.calls).toEqual([0, 1, 2]);
  });
});

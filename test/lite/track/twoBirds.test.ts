import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector } from '../../../src/engine/lite/detect/createDetector';
import { detectClip } from '../../../src/engine/lite/track/detectClip';
import { trackObjects } from '../../../src/engine/lite/track/trackObjects';
import type { Frame } from '../../../src/engine/media/types';
import type { RgbImage, Track } from '../../../src/engine/lite/types';
import { decodeImage, TWO_BIRDS_DIR, TWO_BIRDS_SIZE } from '../detect/decodeImage';

const detector = createDetector();
let images: RgbImage[] = [];

beforeAll(async () => {
  const files = (await readdir(TWO_BIRDS_DIR)).filter((f) => f.endsWith('.jpg')).sort();
  images = await Promise.all(files.map((f) => decodeImage(join(TWO_BIRDS_DIR, f), TWO_BIRDS_SIZE.width, TWO_BIRDS_SIZE.height)));
});
afterAll(() => detector.dispose());

async function* frames(): AsyncGenerator<Frame> {
  for (const [i, img] of images.entries()) {
    yield { index: i, sourceIndex: i, time: { num: i, den: 25 }, width: img.width, height: img.height, channels: 3, data: img.data };
  }
}

function expectTwoBirdTracksSpanningTheClip(tracks: Track[]) {
  const n = images.length;
  expect(n).toBe(18);
  const birds = tracks.filter((t) => t.label === 'bird');
  expect(birds).toHaveLength(2);
  for (const t of birds) {
    expect([t.firstFrame, t.lastFrame]).toEqual([0, n - 1]);
    expect(t.boxes.every((b) => b !== null)).toBe(true);
  }
  // The budgies never swap sides, so the track on the left in frame 0 is on the left throughout.
  const [left, right] = [...birds].sort((a, b) => a.boxes[0]!.x - b.boxes[0]!.x);
  for (let f = 0; f < n; f++) expect(left.boxes[f]!.x + left.boxes[f]!.width).toBeLessThan(right.boxes[f]!.x);
}

describe('two-birds through the real detector and the tracker', () => {
  it('gives exactly two bird tracks spanning the clip, detecting every frame', async () => {
    const clip = await detectClip(frames(), detector);
    expect(clip.frameSize).toEqual(TWO_BIRDS_SIZE);
    const tracks = trackObjects(clip.detections, clip.frameCount, clip.frameSize);
    expectTwoBirdTracksSpanningTheClip(tracks);
  });

  it('gives the same two tracks from keyframes every 4th frame, interpolating between', async () => {
    const clip = await detectClip(frames(), detector, { every: 4 });
    expect(clip.detections.map((d) => (d ? 'D' : '.')).join('')).toBe('D...D...D...D...DD');
    const tracks = trackObjects(clip.detections, clip.frameCount, clip.frameSize);
    expectTwoBirdTracksSpanningTheClip(tracks);
    for (const t of tracks) expect(t.predicted.filter(Boolean)).toHaveLength(12);
  });
});

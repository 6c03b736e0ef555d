import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector } from '../../../src/engine/lite/detect/createDetector';
import { createSharedDetector } from '../../../src/engine/lite/detect/sharedDetector';
import { detectClip } from '../../../src/engine/lite/track/detectClip';
import type { Frame } from '../../../src/engine/media/types';
import type { RgbImage } from '../../../src/engine/lite/types';
import { decodeImage, TWO_BIRDS_DIR, TWO_BIRDS_SIZE } from './decodeImage';

const one = createDetector({ runtime: 'tfjs' });
const two = createSharedDetector({ runtime: 'tfjs' }, 2);
const onnx = createSharedDetector({}, 2);
let images: RgbImage[] = [];

beforeAll(async () => {
  const files = (await readdir(TWO_BIRDS_DIR)).filter((f) => f.endsWith('.jpg')).sort();
  images = await Promise.all(files.map((f) => decodeImage(join(TWO_BIRDS_DIR, f), TWO_BIRDS_SIZE.width, TWO_BIRDS_SIZE.height)));
});
afterAll(() => {
  one.dispose();
  two.dispose();
  onnx.dispose();
});

/** The clip as a decoder gives it: one buffer reused for every frame, so a frame in flight must have been copied. */
async function* reusedBuffer(): AsyncGenerator<Frame> {
  const buffer = new Uint8Array(images[0].data.length);
  for (const [i, img] of images.entries()) {
    buffer.set(img.data);
    yield { index: i, sourceIndex: i, time: { num: i, den: 25 }, width: img.width, height: img.height, channels: 3, data: buffer };
  }
}

describe('the detector on two lanes (tfjs)', () => {
  it('finds what one detector finds in every frame, with frames on the worker thread too', async () => {
    const single = await detectClip(reusedBuffer(), one);
    const shared = await detectClip(reusedBuffer(), two);
    expect(shared.detections).toEqual(single.detections);
    expect(single.detections.filter((d) => d && d.some((x) => x.label === 'bird')).length).toBe(images.length);
    expect(two.parallel).toBe(3); // two frames held by the worker (one waiting), one on this thread
    expect(two.framesOnThread).toBeGreaterThan(0);
    expect(two.framesOnThread).toBeLessThan(images.length);
  }, 120_000);

  it('on onnxruntime, is one detector with two frames in flight (onnxruntime uses the cores) and finds the birds in every frame', async () => {
    const clip = await detectClip(reusedBuffer(), onnx);
    expect(onnx.parallel).toBe(2);
    expect(onnx.framesOnThread).toBe(0);
    expect(onnx.info()?.backend).toBe('onnxruntime');
    // Every frame's detections are its own, though the decoder reused one buffer for all of them.
    const alone = await Promise.all(images.map((img, i) => onnx.detect(img, i)));
    expect(clip.detections).toEqual(alone);
    expect(clip.detections.filter((d) => d && d.filter((x) => x.label === 'bird').length === 2).length).toBe(images.length);
  }, 120_000);

  it('fails the clip with the frame when a detection fails, and leaves nothing running', async () => {
    const failing = { parallel: 2, detect: async (_f: RgbImage, i: number) => (i === 3 ? Promise.reject(new Error('no model')) : []) };
    await expect(detectClip(reusedBuffer(), failing)).rejects.toThrow(/no model/);
  });
});

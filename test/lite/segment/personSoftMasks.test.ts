import { afterAll, describe, expect, it } from 'vitest';
import { buildTrackMasks } from '../../../src/engine/lite/mask/trackMasks';
import { createSegmenter, type PersonSegmenter } from '../../../src/engine/lite/segment/createPersonSegmenter';
import { maskGrid } from '../../../src/engine/lite/segment/segmentationCrop';
import { personSoftMasks } from '../../../src/engine/lite/segment/personSoftMasks';
import type { Box, RgbImage, Track } from '../../../src/engine/lite/types';
import { isLacunaError } from '../../../src/engine/util/errors';
import { frameWithRed, redIsPerson } from './redIsPerson';

function track(id: number, label: string, boxes: (Box | null)[]): Track {
  return { id, label, score: 0.9, firstFrame: 0, lastFrame: boxes.length - 1, boxes, predicted: boxes.map(() => false) };
}

/** A segmenter that records what it was asked and answers a mask filled with the call's number. */
function recordingSegmenter() {
  const calls: { frame: RgbImage; box: Box }[] = [];
  const segmenter: PersonSegmenter = {
    segment: async (frame, box) => {
      calls.push({ frame, box });
      const g = maskGrid(box);
      return new Uint8Array(g.width * g.height).fill(calls.length);
    },
    dispose: () => {},
  };
  return { segmenter, calls };
}

const frames: RgbImage[] = [0, 1, 2].map(() => ({ width: 40, height: 30, data: new Uint8Array(40 * 30 * 3) }));

describe('personSoftMasks', () => {
  it("segments each box of each person track once, and answers only for people's boxes", async () => {
    const { segmenter, calls } = recordingSegmenter();
    const a = { x: 1, y: 2, width: 10, height: 20 };
    const b = { x: 5, y: 2, width: 10, height: 20 };
    const person = track(1, 'person', [a, null, b]);
    const dog = track(2, 'dog', [a, a, a]);
    const progress: string[] = [];
    const hook = await personSoftMasks(segmenter, frames, [person, dog], { onProgress: (d, t) => progress.push(`${d}/${t}`) });
    expect(calls.map((c) => [frames.indexOf(c.frame), c.box])).toEqual([[0, a], [2, b]]);
    expect(progress).toEqual(['1/2', '2/2']);
    // The cache answers every later question without segmenting again.
    for (let i = 0; i < 3; i++) {
      expect(hook(person, 0)).toEqual({ box: a, mask: new Uint8Array(200).fill(1) });
      expect(hook(person, 2)).toEqual({ box: b, mask: new Uint8Array(200).fill(2) });
    }
    expect(hook(person, 1)).toBeUndefined();
    expect(hook(dog, 0)).toBeUndefined();
    expect(hook(track(1, 'person', [a, a, a]), 0)).toBeUndefined(); // a track it was not given
    expect(calls).toHaveLength(2);
  });

  it('stops with CANCELLED when the signal fires', async () => {
    const { segmenter, calls } = recordingSegmenter();
    const controller = new AbortController();
    const box = { x: 0, y: 0, width: 8, height: 8 };
    const work = personSoftMasks(segmenter, frames, [track(1, 'person', [box, box, box])], {
      signal: controller.signal,
      onProgress: (done) => done === 1 && controller.abort(),
    });
    const e = await work.catch((err: unknown) => err);
    expect(isLacunaError(e, 'CANCELLED')).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('refuses a person track whose box count is not the frame count', async () => {
    const { segmenter } = recordingSegmenter();
    await expect(personSoftMasks(segmenter, frames, [track(3, 'person', [null])])).rejects.toThrow(/track 3 has 1 boxes for 3 frames/);
  });
});

describe('personSoftMasks feeding buildTrackMasks', () => {
  const segmenter = createSegmenter(redIsPerson(256, 256));
  afterAll(() => segmenter.dispose());

  it("narrows a person's removal mask from the box to what the segmenter marks", async () => {
    const red = { x: 60, y: 20, width: 20, height: 50 };
    const frame = frameWithRed(160, 90, red);
    const box = { x: 50, y: 10, width: 40, height: 70 };
    const person = track(1, 'person', [box]);
    const hook = await personSoftMasks(segmenter, [frame], [person]);
    const [mask] = buildTrackMasks([frame], [person], { softMask: hook, useBackgroundEvidence: false, dilate: 0 });
    const expected = new Uint8Array(160 * 90);
    for (let y = red.y; y < red.y + red.height; y++) expected.fill(255, y * 160 + red.x, y * 160 + red.x + red.width);
    expect(mask.data).toEqual(expected);
  });
});

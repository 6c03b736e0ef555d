import { describe, expect, it } from 'vitest';
import { checkMatteFits } from '../../src/engine/media/matteFit';
import { missingFrameNumbers } from '../../src/engine/media/imageSequenceSource';
import type { MediaInfo } from '../../src/engine/media/types';

const media = (displayWidth: number, displayHeight: number, rotation = 0) =>
  ({ path: 'x', video: { displayWidth, displayHeight, rotation } }) as unknown as MediaInfo;

describe('a matte must have its clip\'s shape', () => {
  it('same size: fine; same shape: scaled with a warning; another shape: refused', () => {
    expect(checkMatteFits(media(320, 180), media(320, 180))).toEqual([]);
    expect(checkMatteFits(media(1280, 720), media(1920, 1080))).toEqual([expect.stringMatching(/scaled to the clip's size/)]);
    expect(checkMatteFits(media(853, 480), media(854, 480))).toHaveLength(1);
    expect(() => checkMatteFits(media(320, 240), media(320, 180))).toThrow(/must have the clip's shape/);
    expect(() => checkMatteFits(media(320, 180), media(180, 320, 90))).toThrow(/rotated 90°/);
  });
});

describe('missing frames of a sequence', () => {
  it('are the holes in its regular run, not its step', () => {
    expect(missingFrameNumbers([1, 2, 3, 4, 6, 7])).toEqual({ step: 1, missing: [5] });
    expect(missingFrameNumbers([0, 5, 10, 20])).toEqual({ step: 5, missing: [15] });
    expect(missingFrameNumbers([0, 5, 10])).toEqual({ step: 5, missing: [] });
    expect(missingFrameNumbers([7])).toEqual({ step: 1, missing: [] });
  });
});

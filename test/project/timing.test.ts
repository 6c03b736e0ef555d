import { describe, expect, it } from 'vitest';
import { convertFrames, expandFrameRuns, frameFileName, toFrameRuns } from '../../src/engine/project';
import { sequenceDisplayName, sequenceMediaName } from '../../src/engine/project/imageSequence';

describe('frame conversion between rates', () => {
  it('is exact for NTSC rates over long spans and rounds to the nearest frame', () => {
    const ntsc = { num: 24000, den: 1001 };
    const p24 = { num: 24, den: 1 };
    expect(convertFrames(240, p24, p24)).toBe(240);
    // One hour at 24 fps is 86,313.69 frames at 23.976; 86,314 of those last 3600.013 s,
    // which is 86,400.31 frames at 24. Exact integer maths: no float drift either way.
    expect(convertFrames(86400, p24, ntsc)).toBe(86314);
    expect(convertFrames(86314, ntsc, p24)).toBe(86400);
    expect(convertFrames(2_000_000_000, ntsc, { num: 30000, den: 1001 })).toBe(2_500_000_000);
    expect(convertFrames(250, { num: 25, den: 1 }, p24)).toBe(240);
    expect(convertFrames(1, { num: 120, den: 1 }, p24)).toBe(1); // never vanishes
    expect(convertFrames(0, { num: 120, den: 1 }, p24)).toBe(0);
    expect(convertFrames(3, { num: 48, den: 1 }, p24)).toBe(2); // 1.5 rounds up
  });
});

describe('image sequence naming', () => {
  it('formats printf patterns like ffmpeg', () => {
    expect(frameFileName('/p/sh010.%05d.exr', 7)).toBe('/p/sh010.00007.exr');
    expect(frameFileName('bg_%d.png', 1234)).toBe('bg_1234.png');
    expect(frameFileName('100%%_%03d.png', 5)).toBe('100%_005.png');
    expect(frameFileName('f%04d', -3)).toBe('f-003');
    expect(() => frameFileName('nothing.png', 1)).toThrow(/no %d placeholder/);
    expect(sequenceDisplayName('sh010.%05d.exr', 1001, 1240)).toBe('sh010.[1001-1240].exr');
  });

  it('names a sequence of bare numbers by its folder, a named one by its pattern and range', () => {
    expect(sequenceMediaName('/shots/two-birds/%05d.jpg', 0, 85)).toBe('two-birds');
    expect(sequenceMediaName('/shots/plates/sh010.%04d.exr', 1001, 1240)).toBe('sh010.[1001-1240].exr');
    expect(sequenceMediaName('/shots/plates/%04d_bg.png', 1, 9)).toBe('[1-9]_bg.png');
    expect(sequenceMediaName('/%05d.jpg', 0, 3)).toBe('[0-3].jpg');
  });

  it('compresses frame numbers into runs and back', () => {
    const numbers = [1, 2, 3, 4, 10, 20, 30, 31, 33];
    const runs = toFrameRuns(numbers);
    expect(runs).toEqual([
      { start: 1, count: 4, step: 1 },
      { start: 10, count: 3, step: 10 },
      { start: 31, count: 2, step: 2 },
    ]);
    expect(runs[2]).toEqual({ start: 31, count: 2, step: 2 });
    expect(expandFrameRuns(runs)).toEqual([1, 2, 3, 4, 10, 20, 30, 31, 33]);
    expect(toFrameRuns([])).toEqual([]);
    expect(toFrameRuns([5])).toEqual([{ start: 5, count: 1, step: 1 }]);
  });
});

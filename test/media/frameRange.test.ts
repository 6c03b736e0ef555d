import { describe, expect, it } from 'vitest';
import { parseFrameRange } from '../../src/engine/media/frameRange';
import { rational } from '../../src/engine/util/rational';
import { videoInfo } from '../project/mediaFixtures';

const clip = videoInfo('/clips/a.mov', { fps: rational(24), frames: 240 });
const camera = videoInfo('/clips/b.mov', { fps: rational(24), frames: 240, timecode: '01:00:00:00' });
const ntsc = videoInfo('/clips/c.mov', { fps: rational(30000, 1001), frames: 3600, timecode: '00:59:59;28' });

describe('parseFrameRange (half-open: the out frame is not included)', () => {
  it('reads frame numbers with "-" or ":" and an open end', () => {
    expect(parseFrameRange('10-50', clip)).toEqual({ start: 10, end: 50 });
    expect(parseFrameRange('10:50', clip)).toEqual({ start: 10, end: 50 });
    expect(parseFrameRange('200-', clip)).toEqual({ start: 200, end: 240 });
    expect(parseFrameRange('0-240', clip)).toEqual({ start: 0, end: 240 });
  });

  it('reads timecodes from the start timecode of the clip, or from zero without one', () => {
    expect(parseFrameRange('00:00:01:00-00:00:02:00', clip)).toEqual({ start: 24, end: 48 });
    expect(parseFrameRange('01:00:01:00-01:00:02:12', camera)).toEqual({ start: 24, end: 60 });
  });

  it('counts drop-frame timecode across the minute boundary', () => {
    // 00:59:59;28 is frame 0; 01:00:00;00 is two frames later (a tenth minute: no labels skipped).
    expect(parseFrameRange('00:59:59;28-01:00:00;00', ntsc)).toEqual({ start: 0, end: 2 });
    // 01:00:59;29 is 1799 frames after 01:00:00;00; the next label is 01:01:00;02.
    expect(parseFrameRange('01:00:59;29-01:01:00;02', ntsc)).toEqual({ start: 1801, end: 1802 });
  });

  it('refuses ranges outside the clip or backwards with BAD_RANGE and a hint', () => {
    for (const spec of ['10-300', '50-10', '10-10', 'abc', '00:59:00:00-01:00:01:00', '5', '01:00:00;00-01:00:01;00']) {
      const media = spec.includes(';') || spec.startsWith('00:59') ? camera : clip;
      expect(() => parseFrameRange(spec, media), spec).toThrowError(expect.objectContaining({ code: 'BAD_RANGE' }));
    }
    try {
      parseFrameRange('00:59:00:00-01:00:01:00', camera);
    } catch (e) {
      expect((e as Error).message).toMatch(/earlier than its start timecode 01:00:00:00/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { framesToTimecode, parseTimecode, timecodeProblem, timecodeToFrames } from '../../src/engine/media/timecode';
import { rational } from '../../src/engine/util/rational';

const ntsc = rational(30000, 1001);

describe('SMPTE timecode', () => {
  it('counts non-drop timecode at the nominal rate', () => {
    expect(timecodeToFrames(parseTimecode('01:00:00:00')!, rational(24))).toBe(86400);
    expect(timecodeToFrames(parseTimecode('00:00:01:12')!, rational(24000, 1001))).toBe(36);
    expect(framesToTimecode(86400 + 36, rational(24), false)).toBe('01:00:01:12');
  });

  it('skips two labels a minute except every tenth minute in 29.97 drop-frame', () => {
    const tc = (s: string) => timecodeToFrames(parseTimecode(s)!, ntsc);
    expect(tc('00:00:59;29')).toBe(1799);
    expect(tc('00:01:00;02')).toBe(1800); // ;00 and ;01 do not exist
    expect(tc('00:10:00;00')).toBe(17982);
    expect(tc('01:00:00;00')).toBe(107892); // one hour of 29.97 is 107 892 frames
    for (const n of [0, 1799, 1800, 17981, 17982, 107892, 123456]) {
      expect(timecodeToFrames(parseTimecode(framesToTimecode(n, ntsc, true))!, ntsc)).toBe(n);
    }
    expect(framesToTimecode(1800, ntsc, true)).toBe('00:01:00;02');
  });

  it('says what is wrong with impossible labels', () => {
    expect(timecodeProblem(parseTimecode('00:01:00;00')!, ntsc)).toMatch(/skips frames 00-01/);
    expect(timecodeProblem(parseTimecode('00:00:00;00')!, rational(25))).toMatch(/only for 29.97/);
    expect(timecodeProblem(parseTimecode('00:00:00:25')!, rational(25))).toMatch(/up to 24/);
    expect(parseTimecode('1:2:3')).toBeNull();
  });
});

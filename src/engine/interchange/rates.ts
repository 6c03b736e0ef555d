import { dropFrameAllowed, framesToTimecode, nominalRate, parseTimecode, timecodeProblem, timecodeToFrames } from '../media/timecode';
import { rational, type Rational } from '../util/rational';

/**
 * Frame rates and timecodes as interchange files spell them, to and from exact rationals.
 * Several formats store a rate as a float (OTIO's 29.97002997…) or as an integer timebase with an
 * NTSC flag (FCP7's <timebase>30</timebase><ntsc>TRUE</ntsc>); Lacuna keeps 30000/1001 exactly,
 * so these are the only places a float becomes a rate.
 */

/** The exact rate a float stands for: NTSC rates (23.976, 29.97, 59.94 …, written to any precision) become n*1000/1001. */
export function rateFromFloat(value: number): Rational {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`not a frame rate: ${value}`);
  if (Number.isInteger(value)) return rational(value, 1);
  const ntsc = Math.round(value * 1.001);
  // Tools write 29.97, 29.97003 or 29.970029970029969: all within 0.01 % of 30000/1001.
  if (Math.abs((ntsc * 1000) / 1001 - value) < value * 1e-4) return rational(ntsc * 1000, 1001);
  for (const den of [2, 4, 5, 8, 10, 100, 1000]) {
    const num = Math.round(value * den);
    if (Math.abs(num / den - value) < 1e-9) return rational(num, den);
  }
  return rational(Math.round(value * 1000), 1000);
}

/** The rate as FCP7 XML writes it: integer timebase plus the NTSC flag (×1000/1001). */
export function timebaseOf(rate: Rational): { timebase: number; ntsc: boolean } {
  return { timebase: nominalRate(rate), ntsc: rate.den === 1001 };
}

export function rateFromTimebase(timebase: number, ntsc: boolean): Rational {
  return ntsc ? rational(timebase * 1000, 1001) : rational(timebase, 1);
}

/** `tc` at `rate` as a frame count from 00:00:00:00, or null when it is not a valid label there. */
export function timecodeFrames(tc: string | undefined, rate: Rational): { frames: number; dropFrame: boolean } | null {
  if (!tc) return null;
  const parsed = parseTimecode(tc);
  if (!parsed || timecodeProblem(parsed, rate)) return null;
  return { frames: timecodeToFrames(parsed, rate), dropFrame: parsed.dropFrame };
}

/** Timecode label of `frames`; drop-frame only where the rate has it. */
export function timecodeLabel(frames: number, rate: Rational, dropFrame: boolean): string {
  return framesToTimecode(frames, rate, dropFrame && dropFrameAllowed(rate));
}

/** Whether a timecode string marks drop-frame (`;` or `,` before the frames). */
export function isDropFrameLabel(tc: string): boolean {
  return /[;,]\d+$/.test(tc.trim());
}

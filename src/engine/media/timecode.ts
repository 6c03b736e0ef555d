import { toNumber, type Rational } from '../util/rational';

/**
 * SMPTE timecode ↔ frame counts. A timecode counts frames at the nominal integer rate (24 for
 * 23.976, 30 for 29.97); drop-frame (";" before the frames) skips labels :00 and :01 (:00-:03
 * at 59.94) at the start of each minute except every tenth, so the label tracks wall-clock time
 * at 30000/1001 fps. Drop-frame exists only for the 29.97 family.
 */

export interface Timecode {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
  dropFrame: boolean;
}

const TIMECODE = /^(\d{1,2}):(\d{2}):(\d{2})([:;.,])(\d{2,3})$/;

/** Frames per timecode second: the rate rounded (23.976 → 24, 29.97 → 30). */
export function nominalRate(fps: Rational): number {
  return Math.max(1, Math.round(toNumber(fps)));
}

/** Whether drop-frame counting is defined for `fps` (29.97 and its multiples, 59.94 …). */
export function dropFrameAllowed(fps: Rational): boolean {
  return fps.den === 1001 && nominalRate(fps) % 30 === 0;
}

/** Parses "HH:MM:SS:FF" (non-drop) or "HH:MM:SS;FF" (drop-frame; "." and "," accepted as in some tools). */
export function parseTimecode(text: string): Timecode | null {
  const m = TIMECODE.exec(text.trim());
  if (!m) return null;
  return { hours: +m[1], minutes: +m[2], seconds: +m[3], frames: +m[5], dropFrame: m[4] === ';' || m[4] === ',' };
}

/** Frames dropped per minute at this rate: 2 at 29.97, 4 at 59.94. */
const dropsPerMinute = (rate: number) => (rate / 30) * 2;

/** Why `tc` is not a valid label at `fps`, or null when it is. */
export function timecodeProblem(tc: Timecode, fps: Rational): string | null {
  const rate = nominalRate(fps);
  if (tc.minutes > 59 || tc.seconds > 59) return 'minutes and seconds go up to 59';
  if (tc.frames >= rate) return `frames go up to ${rate - 1} at ${rate} fps`;
  if (tc.dropFrame) {
    if (!dropFrameAllowed(fps)) return 'drop-frame timecode (";") exists only for 29.97 and 59.94 fps';
    if (tc.seconds === 0 && tc.minutes % 10 !== 0 && tc.frames < dropsPerMinute(rate)) {
      return `drop-frame timecode skips frames 00-${String(dropsPerMinute(rate) - 1).padStart(2, '0')} at the start of this minute`;
    }
  }
  return null;
}

/** The frame count a (valid) timecode label stands for, from 00:00:00:00. */
export function timecodeToFrames(tc: Timecode, fps: Rational): number {
  const rate = nominalRate(fps);
  const totalMinutes = tc.hours * 60 + tc.minutes;
  const labels = (totalMinutes * 60 + tc.seconds) * rate + tc.frames;
  if (!tc.dropFrame) return labels;
  return labels - dropsPerMinute(rate) * (totalMinutes - Math.floor(totalMinutes / 10));
}

/** The label of frame `frame` (from 00:00:00:00), wrapping at 24 hours as decks do. */
export function framesToTimecode(frame: number, fps: Rational, dropFrame: boolean): string {
  const rate = nominalRate(fps);
  const day = rate * 86400 - (dropFrame ? dropsPerMinute(rate) * (1440 - 144) : 0);
  let n = ((frame % day) + day) % day;
  if (dropFrame) {
    // Put back the labels skipped so far, then count as if non-drop.
    const drop = dropsPerMinute(rate);
    const perTenMinutes = rate * 600 - drop * 9;
    const perMinute = rate * 60 - drop;
    const tens = Math.floor(n / perTenMinutes);
    const rest = n % perTenMinutes;
    n += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const pad = (v: number) => String(v).padStart(2, '0');
  const frames = n % rate;
  const seconds = Math.floor(n / rate) % 60;
  const minutes = Math.floor(n / (rate * 60)) % 60;
  const hours = Math.floor(n / (rate * 3600));
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${dropFrame ? ';' : ':'}${pad(frames)}`;
}

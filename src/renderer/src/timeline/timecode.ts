import type { RationalDto } from '../../../api/schemas/media';

/*
 * Timecode at a sequence's rate, from frame counts, for the ruler, the viewers and the trim
 * readout: the label of timeline frame f is the start timecode plus f frames. Drop-frame (`;`) is
 * honoured for 29.97/59.94 as SMPTE 12M counts it. Pure, tested in Node.
 */

export function nominalRate(fps: RationalDto): number {
  return Math.round(fps.num / fps.den);
}

function dropsPerMinute(rate: number): number {
  return rate === 30 ? 2 : rate === 60 ? 4 : 0;
}

/** "01:00:00:00" → frames from 00:00:00:00 at `fps`; null when unreadable. */
export function parseTimecodeFrames(text: string, fps: RationalDto): number | null {
  const m = /^(\d{1,2}):(\d{2}):(\d{2})([:;])(\d{2,3})$/.exec(text.trim());
  if (!m) return null;
  const rate = nominalRate(fps);
  const [h, mi, s, f] = [m[1], m[2], m[3], m[5]].map(Number);
  if (mi > 59 || s > 59 || f >= rate) return null;
  const minutes = h * 60 + mi;
  const labels = (minutes * 60 + s) * rate + f;
  return m[4] === ';' && dropsPerMinute(rate) ? labels - dropsPerMinute(rate) * (minutes - Math.floor(minutes / 10)) : labels;
}

/** The label of frame `frame` (from 00:00:00:00), drop-frame when `drop`. */
export function framesToTimecode(frame: number, fps: RationalDto, drop = false): string {
  const rate = nominalRate(fps);
  const d = drop ? dropsPerMinute(rate) : 0;
  let n = Math.max(0, Math.floor(frame));
  if (d) {
    const perTen = rate * 600 - d * 9;
    const perMinute = rate * 60 - d;
    const tens = Math.floor(n / perTen);
    const rest = n % perTen;
    n += d * 9 * tens + (rest > d ? d * Math.floor((rest - d) / perMinute) : 0);
  }
  const two = (v: number) => String(v).padStart(2, '0');
  const ff = n % rate;
  const ss = Math.floor(n / rate) % 60;
  const mm = Math.floor(n / (rate * 60)) % 60;
  const hh = Math.floor(n / (rate * 3600)) % 24;
  return `${two(hh)}:${two(mm)}:${two(ss)}${d ? ';' : ':'}${two(ff)}`;
}

/** Timeline frame → its timecode on a sequence starting at `startTimecode`. */
export function sequenceTimecode(frame: number, fps: RationalDto, startTimecode: string): string {
  const start = parseTimecodeFrames(startTimecode, fps) ?? 0;
  return framesToTimecode(start + frame, fps, startTimecode.includes(';'));
}

/** "25 → 24 fps" when a clip's source rate differs from the sequence's, else null. */
export function conformLabel(source: RationalDto, sequence: RationalDto): string | null {
  if (source.num * sequence.den === sequence.num * source.den) return null;
  const f = (r: RationalDto) => {
    const v = r.num / r.den;
    return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '');
  };
  return `${f(source)} → ${f(sequence)} fps`;
}

/** Source frame shown at `offset` sequence frames into a clip (real-time conform, nearest frame as the engine maps it). */
export function sourceFrameAt(offset: number, source: RationalDto, sequence: RationalDto): number {
  if (source.num * sequence.den === sequence.num * source.den) return offset;
  return Math.floor((offset * sequence.den * source.num) / (sequence.num * source.den) + 1e-9);
}

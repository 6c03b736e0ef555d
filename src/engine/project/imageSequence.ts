import { basename, dirname } from 'node:path';
import type { FrameRun } from './schema';

/**
 * How an image sequence names its frames: a printf pattern (ffmpeg's convention, `%05d` or
 * `%d`, `%%` for a literal percent sign) plus the frame numbers, stored as runs.
 */

const PLACEHOLDER = /%(0?)(\d*)d|%%/g;

/** The file name (or path) of frame number `n`: `frameFileName('sh010.%05d.exr', 7)` → `sh010.00007.exr`. */
export function frameFileName(pattern: string, n: number): string {
  let used = false;
  const out = pattern.replace(PLACEHOLDER, (match, zero: string, width: string) => {
    if (match === '%%') return '%';
    used = true;
    const digits = String(Math.abs(n));
    const w = width ? Number(width) : 0;
    // printf pads after the sign with zeros, before it with spaces; frames never use spaces.
    const sign = n < 0 ? '-' : '';
    return zero ? sign + digits.padStart(Math.max(0, w - sign.length), '0') : sign + digits;
  });
  if (!used) throw new RangeError(`image sequence pattern has no %d placeholder: "${pattern}"`);
  return out;
}

/** A display name for a sequence pattern: `sh010.%05d.exr` with 1001..1240 → `sh010.[1001-1240].exr`. */
export function sequenceDisplayName(patternBaseName: string, first: number, last: number): string {
  return patternBaseName.replace(PLACEHOLDER, (m) => (m === '%%' ? '%' : `[${first}-${last}]`));
}

/** Whether a sequence's display name is only its frame range ("[0-85].jpg"), which says nothing to an editor. */
export function isBareRangeName(name: string): boolean {
  return /^\[\d+-\d+\](\.[A-Za-z0-9]+)?$/.test(name);
}

/**
 * What a sequence is called in a project: its pattern's name with the frame range
 * (`sh010.[1001-1240].exr`), or, when the files are nothing but numbers (`00000.jpg`…), the
 * folder that holds them ("two-birds").
 */
export function sequenceMediaName(patternPath: string, first: number, last: number): string {
  const ranged = sequenceDisplayName(basename(patternPath), first, last);
  return isBareRangeName(ranged) ? basename(dirname(patternPath)) || ranged : ranged;
}

/** Compresses ascending frame numbers into runs of equal step. */
export function toFrameRuns(numbers: readonly number[]): FrameRun[] {
  const runs: FrameRun[] = [];
  let i = 0;
  while (i < numbers.length) {
    const start = numbers[i];
    if (i + 1 === numbers.length) {
      runs.push({ start, count: 1, step: 1 });
      break;
    }
    const step = numbers[i + 1] - start;
    if (step <= 0) throw new RangeError(`frame numbers must ascend: ${start} then ${numbers[i + 1]}`);
    let count = 2;
    while (i + count < numbers.length && numbers[i + count] - numbers[i + count - 1] === step) count++;
    runs.push({ start, count, step });
    i += count;
  }
  return runs;
}

export function frameCountOfRuns(runs: readonly FrameRun[]): number {
  return runs.reduce((n, r) => n + r.count, 0);
}

export function expandFrameRuns(runs: readonly FrameRun[]): number[] {
  const out: number[] = [];
  for (const r of runs) for (let k = 0; k < r.count; k++) out.push(r.start + k * r.step);
  return out;
}

export function firstFrameNumber(runs: readonly FrameRun[]): number {
  return runs[0].start;
}

export function lastFrameNumber(runs: readonly FrameRun[]): number {
  const r = runs[runs.length - 1];
  return r.start + (r.count - 1) * r.step;
}

/** Why the runs cannot be a valid ascending numbering, or null when they are. */
export function frameRunsProblem(runs: readonly FrameRun[]): string | null {
  let prevLast = -Infinity;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (r.start <= prevLast) return `run ${i} starts at ${r.start}, not after the previous run's last frame ${prevLast}`;
    prevLast = r.start + (r.count - 1) * r.step;
  }
  return null;
}

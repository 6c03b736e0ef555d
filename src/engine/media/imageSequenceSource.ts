import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { expandFrameRuns, frameFileName, toFrameRuns } from '../project/imageSequence';
import { LacunaError } from '../util/errors';
import type { Rational } from '../util/rational';
import { mediaNotFound, mediaUnreadable } from './mediaErrors';
import type { MediaSource } from './types';

/**
 * Turning what a user points at — a folder of numbered images, a printf pattern
 * ("shots/%05d.png") or a glob ("two-birds/*.jpg") — into an image-sequence MediaSource with
 * its actual frame numbers, read from the folder. Numbers may step (00000, 00005, …): the
 * list is what exists, so decoding never relies on ffmpeg guessing a contiguous run.
 */

export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.tif', '.tiff', '.exr', '.dpx', '.bmp', '.webp', '.tga']);

/** The last run of digits in a file name, before its extension: `sh010_v2.01001.exr` → 01001. */
const NUMBERED = /^(.*?)(\d+)(\.[^.]+)$/;

const PRINTF = /%(0?\d*)d/;

type SequenceSource = Extract<MediaSource, { kind: 'imageSequence' }>;

export function isSequencePattern(input: string): boolean {
  return PRINTF.test(basename(input));
}

export function isGlobPattern(input: string): boolean {
  return basename(input).includes('*');
}

async function listFolder(dir: string, what: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw mediaNotFound(dir, what);
    throw mediaUnreadable(dir, (e as Error).message);
  }
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Candidate {
  prefix: string;
  ext: string;
  /** Digits when zero-padded to a fixed width; 0 for unpadded numbering. */
  width: number;
  numbers: number[];
}

/** Groups numbered image names into candidate sequences (same prefix, extension and padding). */
function candidates(names: readonly string[]): Candidate[] {
  const groups = new Map<string, Candidate & { widths: Set<number>; padded: boolean }>();
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const m = NUMBERED.exec(name);
    if (!m || !IMAGE_EXTENSIONS.has(m[3].toLowerCase())) continue;
    const [, prefix, digits, ext] = m;
    const key = `${prefix}\0${ext}`;
    const g = groups.get(key) ?? { prefix, ext, width: 0, numbers: [], widths: new Set<number>(), padded: false };
    g.numbers.push(Number(digits));
    g.widths.add(digits.length);
    g.padded ||= digits.length > 1 && digits.startsWith('0');
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({
    prefix: g.prefix,
    ext: g.ext,
    // One width across all names (or any leading zero) means a %0Nd pattern.
    width: g.widths.size === 1 && (g.padded || g.numbers.length > 1) ? [...g.widths][0] : 0,
    numbers: [...g.numbers].sort((a, b) => a - b),
  }));
}

function patternOf(dir: string, c: Candidate): string {
  const placeholder = c.width > 1 ? `%0${c.width}d` : '%d';
  return join(dir, `${c.prefix.replace(/%/g, '%%')}${placeholder}${c.ext.replace(/%/g, '%%')}`);
}

function sequence(pattern: string, numbers: number[], fps: Rational): SequenceSource {
  // Round-trip through the project's run encoding so both sides agree on what a valid list is.
  return { kind: 'imageSequence', pattern, numbers: expandFrameRuns(toFrameRuns(numbers)), fps };
}

/** A folder holding exactly one numbered run of same-extension images. */
export async function sequenceFromFolder(folder: string, fps: Rational, nameFilter?: RegExp): Promise<SequenceSource> {
  const dir = resolve(folder);
  const names = (await listFolder(dir, 'image folder')).filter((n) => !nameFilter || nameFilter.test(n));
  const found = candidates(names);
  if (found.length === 0) {
    throw mediaUnreadable(dir, 'no numbered image files (such as frame_0001.png) in this folder');
  }
  if (found.length > 1) {
    const list = found.map((c) => `${basename(patternOf(dir, c))} (${c.numbers.length} files)`).join(', ');
    throw new LacunaError(
      'BAD_ARGUMENT',
      `${dir} holds more than one image sequence: ${list}`,
      'Give the sequence as a pattern instead, e.g. "shots/%05d.png", or move the other images out.',
    );
  }
  return sequence(patternOf(dir, found[0]), found[0].numbers, fps);
}

/** A glob on the file name only (`two-birds/*.jpg`): the matching files must form one sequence. */
export function sequenceFromGlob(glob: string, fps: Rational): Promise<SequenceSource> {
  const re = new RegExp(`^${basename(glob).split('*').map(escapeRegex).join('.*')}$`);
  return sequenceFromFolder(dirname(glob), fps, re);
}

/** A printf pattern: the numbers are the files that exist and match it exactly. */
export async function sequenceFromPattern(pattern: string, fps: Rational): Promise<SequenceSource> {
  const abs = resolve(pattern);
  const name = basename(abs);
  const m = PRINTF.exec(name)!;
  const width = m[1] ? Number(m[1]) : 0;
  const digits = width > 1 && m[1].startsWith('0') ? `\\d{${width},}` : '\\d+';
  const [before, after] = [name.slice(0, m.index), name.slice(m.index + m[0].length)].map((p) => escapeRegex(p.replace(/%%/g, '%')));
  const re = new RegExp(`^${before}(${digits})${after}$`);
  const numbers = (await listFolder(dirname(abs), 'image folder'))
    .map((n) => re.exec(n))
    .filter((x): x is RegExpExecArray => x !== null)
    // A padded pattern names frame 7 "00007" only: "007" is another file.
    .filter((x) => frameFileName(name, Number(x[1])) === x[0])
    .map((x) => Number(x[1]))
    .sort((a, b) => a - b);
  if (numbers.length === 0) throw mediaNotFound(abs, 'image sequence (no file matches the pattern)');
  if (!IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) {
    throw mediaUnreadable(abs, `"${extname(name)}" is not an image extension Lacuna reads as a sequence`);
  }
  return sequence(abs, numbers, fps);
}

export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Absolute path of each frame file of the sequence, in frame order. */
export function sequenceFilePaths(source: SequenceSource, numbers: readonly number[] = source.numbers): string[] {
  return numbers.map((n) => frameFileName(source.pattern, n));
}

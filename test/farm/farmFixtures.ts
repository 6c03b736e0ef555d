import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The project's real fixture (18 frames, 568x320, two birds). */
export const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');
export const haveTwoBirds = existsSync(TWO_BIRDS);

/** One MD5 per decoded frame (rgb24), the bytes an NLE would see. */
export function frameHashes(file: string): string[] {
  const out = execFileSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v', '-pix_fmt', 'rgb24', '-f', 'framemd5', '-'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());
}

/**
 * A small clip with a moving square and its matte (white = remove), made with ffmpeg's own sources:
 * `frames` frames at 25 fps, 96x64.
 */
/**
 * `matteInset`: the matte's square is this many px smaller on each side (a tight matte that misses
 * the object's rim, which Lite's soft-edge growth then adds); the background is then a still
 * picture (SMPTE bars), since testsrc2's animation would count as noise larger than the rim.
 */
export function squareClip(dir: string, frames: number, name = 'square', matteInset = 0): { clip: string; matte: string } {
  const clip = resolve(dir, `${name}.mov`);
  const matte = resolve(dir, `${name}_matte.mov`);
  const d = frames / 25;
  const run = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
  const background = matteInset > 0 ? 'smptebars' : 'testsrc2';
  run(['-f', 'lavfi', '-i', `${background}=size=96x64:rate=25:duration=${d}`, '-f', 'lavfi', '-i', `color=red:size=12x12:rate=25:duration=${d}`,
    '-filter_complex', '[0][1]overlay=x=10+2*n:y=20', '-c:v', 'prores_ks', '-profile:v', '3', '-frames:v', String(frames), clip]);
  run(['-f', 'lavfi', '-i', `color=black:size=96x64:rate=25:duration=${d}`, '-f', 'lavfi', '-i', `color=white:size=${12 - 2 * matteInset}x${12 - 2 * matteInset}:rate=25:duration=${d}`,
    '-filter_complex', `[0][1]overlay=x=${10 + matteInset}+2*n:y=${20 + matteInset},format=gray`, '-c:v', 'prores_ks', '-profile:v', '3', '-frames:v', String(frames), matte]);
  return { clip, matte };
}

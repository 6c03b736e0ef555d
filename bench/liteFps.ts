import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BENCH_DIR } from './benchClips';
import { measuredRun, type MeasuredRun } from './measuredRun';
import { round } from './p1TranscodeOverhead';

/** Issue 14's speed goal for Lite at 1080p, end to end from `lacuna remove`. */
export const L1_GOAL_FPS = 6;

const TWO_BIRDS = resolve(import.meta.dirname, '../../shared/fixtures/two-birds');
const LACUNA = resolve(import.meta.dirname, '../bin/lacuna.mjs');
/** Runs per size; the fastest counts (on a shared machine, the run least disturbed by others). */
const REPEATS = 3;

/** two-birds scaled to 1920x1080 with square pixels (the README's 1080p figure is on this copy), made once. */
function twoBirds1080(): string {
  const dir = join(BENCH_DIR, 'two-birds-1080');
  const frames = readdirSync(TWO_BIRDS).filter((f) => f.endsWith('.jpg'));
  if (existsSync(dir) && readdirSync(dir).length === frames.length) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of frames) execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(TWO_BIRDS, f), '-vf', 'scale=1920:1080,setsar=1', '-q:v', '2', join(dir, f)]);
  return dir;
}

/**
 * L1: Lite's speed as a user meets it, `lacuna remove <two-birds> "remove the bird on the left"
 * --fps 25` (start-up, detection, masks, fill, encode to ProRes HQ with its matte), at the
 * fixture's 568x320 and on a 1080p copy; fps = frames ÷ wall seconds of the fastest of three runs.
 * CPU seconds (the CLI and its ffmpeg children) are the load-independent figure.
 */
export async function runL1() {
  const frames = readdirSync(TWO_BIRDS).filter((f) => f.endsWith('.jpg')).length;
  const sizes = { '568x320': TWO_BIRDS, '1920x1080': twoBirds1080() };
  const results: Record<string, unknown> = {};
  let fps1080 = 0;
  for (const [size, dir] of Object.entries(sizes)) {
    const runs: MeasuredRun[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const out = join(BENCH_DIR, `l1-${size}.mov`);
      runs.push(await measuredRun(process.execPath, [LACUNA, 'remove', dir, 'remove the bird on the left', '--fps', '25', '--out', out, '--overwrite']));
    }
    const best = runs.reduce((a, b) => (b.wallSeconds < a.wallSeconds ? b : a));
    const fps = frames / best.wallSeconds;
    if (size === '1920x1080') fps1080 = fps;
    results[size] = { fps: round(fps), wallSeconds: round(best.wallSeconds), cpuSeconds: round(best.cpuSeconds), allWallSeconds: runs.map((r) => round(r.wallSeconds)) };
  }
  return {
    name: 'L1 Lite end to end, `lacuna remove` two-birds "remove the bird on the left" (18 frames, start-up included), fastest of 3',
    frames,
    ...results,
    goal: `≥ ${L1_GOAL_FPS} fps at 1080p`,
    pass: fps1080 >= L1_GOAL_FPS,
  };
}

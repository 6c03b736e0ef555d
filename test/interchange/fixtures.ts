import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importMedia } from '../../src/engine/app/mediaImport';
import { probeMedia } from '../../src/engine/media/probe';
import { Project, saveProject, type MediaRef } from '../../src/engine/project';
import type { Rational } from '../../src/engine/util/rational';
import { lacuna, resultOf } from '../cli/cliHarness';

/*
 * Real media and a real project for the interchange tests: two clips on two video tracks and
 * sound, the first clip with a removal take made by the Lite engine (through `lacuna remove
 * --project --mask`, the job queue and take write-back, as an editor would). Every frame of each
 * clip is told apart by its brightness, and the take from the original by a red square the
 * removal takes out, so a render can be checked frame by frame against the sources.
 */

export const W = 96;
export const H = 54;

const ff = (...args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

export interface Fixture {
  dir: string;
  projectPath: string;
  fps: Rational;
  /** Clip A on V1 (with the take), clip B on V2, A's sound on A1. */
  a: string;
  b: string;
  matte: string;
  take: string;
  takeMatte: string | null;
  frames: number;
  /** Where the clips sit (sequence frames) and which source frames they use. */
  layout: { aIn: number; aOut: number; aPos: number; bIn: number; bOut: number; bPos: number };
}

/** Media at `fps` with `frames` frames, starting timecode `tc` (drop-frame with `;`). */
export function makeMedia(dir: string, fps: Rational, frames: number, tc: string): { a: string; b: string; matte: string } {
  const rate = `${fps.num}/${fps.den}`;
  const d = (frames * fps.den) / fps.num;
  const a = join(dir, 'plateA.mov');
  const b = join(dir, 'plateB.mov');
  const matte = join(dir, 'plateA_matte.mov');
  // A: brightness rises 7 levels a frame, a red square at (30,14) to remove; a 440 Hz tone.
  ff('-f', 'lavfi', '-i', `color=gray:size=${W}x${H}:rate=${rate}:duration=${d},format=yuv420p,geq=lum='20+N*7':cb=128:cr=128`,
    '-f', 'lavfi', '-i', `color=red:size=20x20:rate=${rate}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${d}`,
    '-filter_complex', '[0][1]overlay=x=30:y=14:shortest=1[v]', '-map', '[v]', '-map', '2:a',
    '-c:v', 'prores_ks', '-profile:v', '3', '-c:a', 'pcm_s16le', '-timecode', tc, '-frames:v', String(frames), a);
  // B: falling brightness with a blue cast, no square.
  ff('-f', 'lavfi', '-i', `color=gray:size=${W}x${H}:rate=${rate}:duration=${d},format=yuv420p,geq=lum='230-N*6':cb=170:cr=110`,
    '-c:v', 'prores_ks', '-profile:v', '3', '-timecode', tc, '-frames:v', String(frames), b);
  ff('-f', 'lavfi', '-i', `color=black:size=${W}x${H}:rate=${rate}:duration=${d}`, '-f', 'lavfi', '-i', `color=white:size=24x24:rate=${rate}`,
    '-filter_complex', '[0][1]overlay=x=28:y=12:shortest=1,format=gray', '-c:v', 'ffv1', '-frames:v', String(frames), matte);
  return { a, b, matte };
}

/** Builds the project, saves it, and makes the removal take through the CLI. */
export async function makeFixture(dir: string, fps: Rational, tc: string, frames = 24): Promise<Fixture> {
  const { a, b, matte } = makeMedia(dir, fps, frames, tc);
  const projectPath = join(dir, 'cut.lacuna');
  const project = Project.create({ name: 'cut', settings: { fps, size: { width: W, height: H }, startTimecode: tc }, withSequence: false });
  const { imported, failed } = await importMedia(project, [a, b], (p) => probeMedia(p));
  if (failed.length) throw new Error(JSON.stringify(failed));
  const [ma, mb] = imported as [MediaRef, MediaRef];
  const seq = project.addSequence({ name: 'Cut', videoTracks: 2, audioTracks: 1 });
  const [v1, v2, a1] = seq.tracks;
  const layout = { aIn: 2, aOut: 20, aPos: 3, bIn: 4, bOut: 12, bPos: 10 };
  project.addClip(seq.id, v1.id, ma.id, { sourceIn: layout.aIn, sourceOut: layout.aOut, position: layout.aPos, name: 'A' });
  project.addClip(seq.id, v2.id, mb.id, { sourceIn: layout.bIn, sourceOut: layout.bOut, position: layout.bPos, name: 'B' });
  project.addClip(seq.id, a1.id, ma.id, { sourceIn: layout.aIn, sourceOut: layout.aOut, position: layout.aPos, name: 'A sound' });
  await saveProject(project, projectPath, { backup: false });
  // Each test file (its own worker) keeps its own job journal: files run in parallel.
  process.env.LACUNA_DATA_DIR = join(dir, 'lacuna-data');
  const run = await lacuna('--json', 'remove', '--project', projectPath, '--clip', 'A', '--mask', matte);
  if (run.code !== 0) throw new Error(`remove failed: ${run.stderr}\n${run.stdout}`);
  const r = resultOf(run) as { file?: string; takeFile?: string; matteFile?: string };
  const { project: saved } = await (await import('../../src/engine/project')).loadProject(projectPath);
  const clip = saved.doc.sequences[0].tracks[0].clips[0];
  const active = clip.takes.find((k) => k.id === clip.activeTakeId)!;
  if (active.kind !== 'generated') throw new Error(`no take made: ${JSON.stringify(r)}`);
  const take = saved.getMedia(active.mediaId).path;
  const takeMatte = active.matteMediaId ? saved.getMedia(active.matteMediaId).path : null;
  return { dir, projectPath, fps, a, b, matte, take, takeMatte, frames, layout };
}

/** Decodes a file's frames as RGB24 at W×H. */
export function decodeRgb(file: string): Buffer[] {
  const raw = execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${W}x${H}`, '-'], { maxBuffer: 1 << 28 });
  return split(raw);
}

export function split(raw: Buffer): Buffer[] {
  const n = W * H * 3;
  const out: Buffer[] = [];
  for (let i = 0; i + n <= raw.length; i += n) out.push(raw.subarray(i, i + n));
  return out;
}

/** Mean absolute difference per byte. */
export function mad(x: Buffer, y: Buffer): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] - y[i]);
  return s / x.length;
}

/**
 * melt renders `file` to RGB24 frames at the profile's size. Once in a CI run on a loaded machine
 * melt exited 0 having written nothing (the same file rendered fine before and after): an empty
 * render is tried once more, with melt's own messages kept, and a second empty one fails with them.
 */
export function meltFrames(file: string, out: string): Buffer[] {
  const render = () =>
    spawnSync('melt', ['-silent', file, '-consumer', `avformat:${out}`, 'f=rawvideo', 'vcodec=rawvideo', 'pix_fmt=rgb24', 'an=1', 'real_time=0'], {
      env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' },
      timeout: 120_000,
      encoding: 'utf8',
    });
  let run = render();
  if (run.status === 0 && (!existsSync(out) || statSync(out).size === 0)) {
    console.warn(`melt wrote no frames of ${file}; rendering again. melt said: ${run.stderr.trim().slice(-500)}`);
    run = render();
  }
  if (run.status !== 0) throw new Error(`melt failed on ${file} (${run.status ?? run.signal}): ${run.stderr.trim().slice(-500)}`);
  if (!existsSync(out) || statSync(out).size === 0) throw new Error(`melt wrote no frames of ${file} twice: ${run.stderr.trim().slice(-500)}`);
  return split(readFileSync(out));
}

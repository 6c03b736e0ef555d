import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import type { Frame } from '../../src/engine/media/types';

/*
 * Tools for the hostile-input tests: real ffmpeg processes made to fail (a wrapper that passes an
 * option ffmpeg rejects, or records its pid so the test can kill it mid-stream), real filesystems
 * that are full or read-only (a small tmpfs, where the machine lets us mount one), and the CLI
 * run as a child process so signals are real.
 */

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'lacuna.mjs');
export const TWO_BIRDS = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'two-birds');

export interface WrapperOptions {
  /** The wrapper meddles only with ffmpeg runs that have an argument containing this. */
  match: string;
  /** Arguments put just before the output (the last argument). */
  inject?: string[];
  /** File the matching ffmpeg writes its pid to (exec keeps the pid: it is ffmpeg's). */
  pidFile?: string;
}

/** An "ffmpeg" that is the real one, with the changes `options` asks for on matching runs. */
export async function ffmpegWrapper(dir: string, options: WrapperOptions): Promise<string> {
  const path = join(dir, `ffmpeg-wrapper-${Math.random().toString(36).slice(2)}.sh`);
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = `#!/bin/bash
real=${q(ffmpegPaths().ffmpeg)}
match=0
for a in "$@"; do case "$a" in *${q(options.match)}*) match=1;; esac; done
if [ $match = 1 ]; then
  ${options.pidFile ? `echo $$ > ${q(options.pidFile)}` : ':'}
  ${options.inject?.length ? `set -- "\${@:1:$#-1}" ${options.inject.map(q).join(' ')} "\${@: -1}"` : ':'}
fi
exec "$real" "$@"
`;
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}

/** The ffmpeg paths with `ffmpeg` replaced by a wrapper. */
export function withFfmpeg(ffmpeg: string) {
  return { ...ffmpegPaths(), ffmpeg };
}

/** A grey ramp frame (or its matte), small enough that encoders are quick. */
export function testFrame(index: number, width = 64, height = 36, channels: 1 | 3 = 3): Frame {
  const data = new Uint8Array(width * height * channels).map((_, i) => (i + index * 7) % 251);
  return { index, sourceIndex: index, time: { num: index, den: 25 }, width, height, channels, data };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => (clearTimeout(t), reject(signal!.reason));
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether this machine lets the tests mount a tmpfs (root with CAP_SYS_ADMIN, as here; not every CI). */
export const canMount: boolean = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = join('/tmp', `lacuna-mount-probe-${process.pid}`);
  try {
    spawnSync('mkdir', ['-p', probe]);
    const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status === 0;
    if (ok) spawnSync('umount', [probe]);
    spawnSync('rmdir', [probe]);
    return ok;
  } catch {
    return false;
  }
})();

/** Mounts a tmpfs of `bytes` at `dir` (created); returns its unmount. */
export async function mountTmpfs(dir: string, bytes: number, options: { readOnly?: boolean } = {}): Promise<() => void> {
  await mkdir(dir, { recursive: true });
  const size = Math.ceil(bytes / 4096) * 4096;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${options.readOnly ? ',ro' : ''}`, 'tmpfs', dir]);
  if (r.status !== 0) throw new Error(`mount failed: ${r.stderr}`);
  return () => void spawnSync('umount', ['-l', dir]);
}

/** Fills the filesystem at `dir` until only `leave` bytes (about) are free. */
export function fillDisk(dir: string, leave: number): void {
  const st = statfsSync(dir);
  const free = Number(st.bavail) * Number(st.bsize);
  writeFileSync(join(dir, '.filler'), Buffer.alloc(Math.max(0, free - leave)));
}

export interface Spawned {
  code: Promise<number | null>;
  pid: number;
  stdout: () => string;
  stderr: () => string;
  kill(signal: NodeJS.Signals): void;
}

/** The real `lacuna` in a child process (signals and exit codes as a user gets them). */
export function spawnLacuna(args: string[], env: Record<string, string> = {}): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { code, pid: child.pid!, stdout: () => out, stderr: () => err, kill: (s) => child.kill(s) };
}

/** Waits until `check` holds (polling), failing after `ms`. */
export async function until(check: () => Promise<boolean> | boolean, ms = 60_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export async function partialsIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.includes('.partial'));
}

/** The lines of an error report, without progress and warnings. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('warning:') && !/^\S.*\d+\/\d+\s+\d+%/.test(l) && !/^\S[^:]*\(job /.test(l));
}

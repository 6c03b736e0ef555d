import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobQueue, jobTempDir } from '../../src/engine/jobs';
import { installedJobKinds } from '../../src/engine/jobs/kinds';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../src/engine/media/probe';
import { quickHashFile } from '../../src/engine/project';
import { mediaRefFromInfo } from '../../src/engine/project/mediaRef';
import { makeClip, tempDir } from '../app/fixtures';
import { stepKind } from './testKinds';

/*
 * The crash test: a separate process runs a job and is killed with SIGKILL mid-job (no
 * cleanup code runs). A new queue on the same data folder must list the job as interrupted,
 * delete its scratch files, and leave no output that looks complete.
 */
const CHILD = resolve(import.meta.dirname, 'crash.child.ts');
const REPO = resolve(import.meta.dirname, '../..');

let media: ReturnType<typeof tempDir>;
let clip: string;
beforeAll(() => {
  media = tempDir('lacuna-jobs-crash-media-');
  clip = makeClip(join(media.dir, 'long.mp4'), { seconds: 30, size: '640x360' });
});
afterAll(() => media.cleanup());

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => (tmp = tempDir('lacuna-jobs-crash-')));
afterEach(() => tmp.cleanup());

/** Runs the child until it says the job is running, then kills it; returns the job id. */
async function runAndKill(dataDir: string, outDir: string, kind: string, params: unknown): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, outDir, kind, JSON.stringify(params)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const jobId = await new Promise<string>((resolveId, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running (\S+)\n/.exec(out);
      if (m) resolveId(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before the job ran:\n${stderr}`)));
  });
  // Mid-job: its scratch folder holds files right now.
  expect(readdirSync(jobTempDir(outDir, jobId)).length).toBeGreaterThan(0);
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;
  return jobId;
}

describe('crash recovery', () => {
  it('shows a job killed mid-run as interrupted, with its scratch files gone and no output', async () => {
    const dataDir = join(tmp.dir, 'data');
    const outDir = join(tmp.dir, 'renders');
    const jobId = await runAndKill(dataDir, outDir, 'gpu-step', { name: 'long', steps: 2000, stepMs: 10 });
    expect(existsSync(jobTempDir(outDir, jobId))).toBe(true);

    const queue = await JobQueue.open({ dataDir, kinds: [stepKind('gpu-step', 'gpu'), ...installedJobKinds()], ffmpeg: ffmpegPaths });
    try {
      const [job] = queue.list();
      expect(job).toMatchObject({
        id: jobId,
        state: 'interrupted',
        result: null,
        error: {
          code: 'CANCELLED',
          message: expect.stringContaining('Lacuna stopped while this job was running'),
          hint: 'Retry starts it again from step 1.',
        },
      });
      expect(existsSync(jobTempDir(outDir, jobId))).toBe(false);
      expect(readdirSync(outDir)).toEqual([]);
      // Resumable: Retry runs it again with the same params.
      expect(queue.retry(jobId)).toMatchObject({ state: 'running', attempt: 2 });
      queue.cancel(jobId);
      expect((await queue.whenFinished(jobId)).state).toBe('cancelled');
    } finally {
      await queue.dispose();
    }
  });

  it('does the same for a real transcode killed mid-encode: no half-written file that looks complete', async () => {
    const dataDir = join(tmp.dir, 'data');
    const outDir = join(tmp.dir, 'renders');
    const info = await probeMedia(clip);
    const ref = mediaRefFromInfo(info, await quickHashFile(clip), 'media-1');
    const frames = info.video!.frameCount;
    const params = { name: 'long', media: ref, range: { start: 0, end: frames }, codec: 'prores_hq', sourceStart: 0 };
    const jobId = await runAndKill(dataDir, outDir, 'transcode', params);

    const queue = await JobQueue.open({ dataDir, kinds: installedJobKinds(), ffmpeg: ffmpegPaths });
    try {
      expect(queue.get(jobId)).toMatchObject({
        state: 'interrupted',
        error: { code: 'CANCELLED', hint: 'Retry transcodes it again from the first frame: a transcode cannot continue where it stopped.' },
      });
      expect(existsSync(jobTempDir(outDir, jobId))).toBe(false);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      await queue.dispose();
    }
  });
});

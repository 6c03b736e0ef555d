import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project, loadProject, removeStaleTempFiles, saveProject } from '../../src/engine/project';
import { fakeHash, videoInfo } from './mediaFixtures';
import { withTempDir } from './fixtures';

const CHILD = resolve(import.meta.dirname, 'saveLoop.child.ts');
const REPO = resolve(import.meta.dirname, '../..');

/** A project of a few MB: 2,000 clips on 4 tracks, each with a generated take. */
function bigProject(): Project {
  const p = Project.create({ name: 'seed' });
  const seq = p.doc.sequences[0];
  const tracks = [seq.tracks[0], p.addTrack(seq.id, 'video'), p.addTrack(seq.id, 'video'), p.addTrack(seq.id, 'video')];
  const media = Array.from({ length: 20 }, (_, i) => p.addMedia(videoInfo(`/shoot/A0${i}_C001.mov`, { frames: 2400 }), fakeHash(`m${i}`)));
  const renders = Array.from({ length: 20 }, (_, i) => p.addMedia(videoInfo(`/renders/A0${i}.mov`, { frames: 100, audio: false }), fakeHash(`r${i}`)));
  for (let n = 0; n < 2000; n++) {
    const c = p.addClip(seq.id, tracks[n % 4].id, media[n % 20].id, { sourceIn: 100, sourceOut: 200 });
    p.addTake(c.id, {
      mediaId: renders[n % 20].id,
      params: { engine: 'lgvi', expression: `the object number ${n}`, seed: n, steps: 30, guidance: 7.5, extra: { note: 'x'.repeat(200) } },
      jobId: `job_${n}`,
    });
  }
  return p;
}

interface Run {
  started: number; // highest "saving N" seen
  saved: number; // highest "saved N" seen
}

/** Runs the save loop, SIGKILLs it `delayMs` after it is ready, and reports how far it got. */
function runAndKill(seed: string, target: string, runId: number, delayMs: number): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, seed, target, String(runId)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const run: Run = { started: -1, saved: -1 };
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [word, n] = line.split(' ');
        if (word === 'ready') setTimeout(() => child.kill('SIGKILL'), delayMs);
        else if (word === 'saving') run.started = Number(n);
        else if (word === 'saved') run.saved = Number(n);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(run);
      else reject(new Error(`save loop exited by itself (code ${code}):\n${stderr}`));
    });
  });
}

describe('crash safety', () => {
  it('a kill -9 at any moment of a save leaves a loadable project, old or new, and no file that looks like one', async () => {
    await withTempDir(async (dir) => {
      const seed = join(dir, 'seed.lacuna');
      const target = join(dir, 'film.lacuna');
      const project = bigProject();
      await saveProject(project, seed);
      const clipCount = project.doc.sequences[0].tracks.reduce((n, t) => n + t.clips.length, 0);

      // Deterministic pseudo-random kill times, spread over several save durations.
      let state = 2024;
      const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
      let lastName = 'none';
      for (let iteration = 0; iteration < 12; iteration++) {
        const run = await runAndKill(seed, target, iteration, Math.floor(random() * 1200));
        let loaded;
        try {
          loaded = await loadProject(target);
        } catch (e) {
          // Killed before any save ever finished: there is no project yet, and that is all.
          expect(lastName).toBe('none');
          expect(run.saved).toBe(-1);
          expect((e as { code?: string }).code).toBe('PROJECT_NOT_FOUND');
          continue;
        }
        const name = loaded.project.doc.name;
        const [, runOf, saveOf] = /^run (\d+) save (\d+)$/.exec(name)!.map(Number);
        if (runOf === iteration) {
          // The last save this run completed, or the one it was killed in: never older, never torn.
          expect(saveOf).toBeGreaterThanOrEqual(Math.max(run.saved, 0));
          expect(saveOf).toBeLessThanOrEqual(run.started);
        } else {
          // Killed before this run finished a save: the previous run's file is intact.
          expect(run.saved).toBe(-1);
          expect(name).toBe(lastName);
        }
        expect(loaded.project.doc.sequences[0].tracks.reduce((k, t) => k + t.clips.length, 0)).toBe(clipCount);
        lastName = name;

        const names = await readdir(dir);
        for (const f of names) {
          if (['seed.lacuna', 'film.lacuna', 'film.lacuna.bak'].includes(f)) continue;
          // Only hidden, clearly partial leftovers, never something an Open dialog lists as a project
          // (and the lock of the killed writer, which the next one breaks: its process is gone).
          expect(f).toMatch(/^\.film\.lacuna(\.bak)?\.[0-9a-f]{8}\.partial$|^\.film\.lacuna\.lock(\.[0-9a-f]{8}\.(partial|stale))?$/);
        }
        if (names.includes('film.lacuna.bak')) {
          const bak = await loadProject(target, { fromBackup: true });
          expect(bak.project.doc.name).toMatch(/^run \d+ save \d+$/);
        }
      }
      expect(lastName).not.toBe('none'); // at least some saves completed and were checked

      // Leftovers of killed saves go at the next cleanup once old enough (here: at once).
      await removeStaleTempFiles(target, 0);
      expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    });
  });
});

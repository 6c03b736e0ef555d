import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  loadProject,
  lockPathFor,
  projectLockHolder,
  Project,
  saveProject,
  updateProject,
  withProjectLock,
} from '../../src/engine/project';
import { isLacunaError } from '../../src/engine/util/errors';
import { makeClip, tempDir } from '../app/fixtures';

const tmp = tempDir('lacuna-concurrent-');
afterAll(() => tmp.cleanup());

const bin = resolve(import.meta.dirname, '..', '..', 'bin', 'lacuna.mjs');

/** Runs the real `lacuna` executable as its own process, with its own data folder. */
function lacunaChild(args: string[], dataDir: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, LACUNA_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => done({ code: code ?? -1, out }));
  });
}

async function newProject(name: string): Promise<string> {
  const file = join(tmp.dir, `${name}.lacuna`);
  await saveProject(Project.create({ name, settings: { fps: { num: 25, den: 1 }, size: { width: 160, height: 96 } } }), file, { backup: false });
  return file;
}

describe('project lock', () => {
  it('runs writers of one project one at a time, and is re-entrant along one call chain', async () => {
    const file = await newProject('serial');
    const events: string[] = [];
    const writer = (name: string) =>
      withProjectLock(file, async () => {
        events.push(`${name} in`);
        // Nested: a save inside a locked update must not wait for itself.
        await withProjectLock(file, async () => {
          expect(await projectLockHolder(file)).toMatchObject({ pid: process.pid, host: hostname() });
        });
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name} out`);
      });
    await Promise.all([writer('a'), writer('b'), writer('c')]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    expect(existsSync(lockPathFor(file))).toBe(false);
  });

  it('breaks the lock of a holder process that is gone', async () => {
    const file = await newProject('dead-holder');
    // A process that has exited: its pid is free (or reused by a process that holds nothing).
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('close', r));
    writeFileSync(lockPathFor(file), JSON.stringify({ pid: dead.pid, host: hostname(), purpose: 'lacuna project add', since: new Date().toISOString(), token: 'deadbeefdeadbeef' }));
    const ran = await withProjectLock(file, async () => 'ran', { waitMs: 2000 });
    expect(ran).toBe('ran');
  });

  it('breaks a lock whose heartbeat stopped (a holder on another host that crashed)', async () => {
    const file = await newProject('silent-holder');
    const lock = lockPathFor(file);
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'render-node-7', purpose: 'farm collector', since: '2026-01-01T00:00:00Z', token: 'aaaaaaaaaaaaaaaa' }));
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    expect(await withProjectLock(file, async () => 'ran', { waitMs: 2000 })).toBe('ran');
  });

  it('waits for a live holder, then gives up naming it (PROJECT_LOCKED)', async () => {
    const file = await newProject('live-holder');
    writeFileSync(lockPathFor(file), JSON.stringify({ pid: 1, host: 'render-node-7', purpose: 'farm collector', since: '2026-01-01T00:00:00Z', token: 'bbbbbbbbbbbbbbbb' }));
    let waitedOn: string | undefined;
    const error = await withProjectLock(file, async () => 'ran', { waitMs: 300, onWait: (h) => (waitedOn = h?.host) }).catch((e: unknown) => e);
    expect(waitedOn).toBe('render-node-7');
    expect(isLacunaError(error, 'PROJECT_LOCKED')).toBe(true);
    expect((error as Error).message).toContain('farm collector (process 1 on render-node-7');
    // Never someone else's lock removed by the one who gave up.
    expect(existsSync(lockPathFor(file))).toBe(true);
  });

  it('a holder keeps its lock fresh while it works (heartbeat), and a fresh lock is never broken', async () => {
    const file = await newProject('heartbeat');
    const lock = lockPathFor(file);
    // Our own holding: its mtime keeps moving while the work takes longer than staleMs.
    await withProjectLock(
      file,
      async () => {
        await new Promise((r) => setTimeout(r, 700));
        expect(Date.now() - statSync(lock).mtimeMs).toBeLessThan(400);
      },
      { staleMs: 300 },
    );
    // Another host's holding with a live heartbeat: waited for, not broken.
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'render-node-7', purpose: 'farm collector', since: new Date().toISOString(), token: 'cccccccccccccccc' }));
    const beat = setInterval(() => {
      const t = new Date();
      void utimes(lock, t, t).catch(() => {});
    }, 50);
    const released = new Promise<number>((r) => setTimeout(() => { clearInterval(beat); rmSync(lock); r(Date.now()); }, 800));
    const got = await withProjectLock(file, async () => Date.now(), { staleMs: 300, waitMs: 5000 });
    expect(got).toBeGreaterThanOrEqual(await released);
  });
});

describe('saving over a change made by another writer', () => {
  it('refuses (PROJECT_CHANGED) instead of undoing the other change in silence', async () => {
    const file = await newProject('stale-save');
    const { project: mine } = await loadProject(file);
    await updateProject(file, (other) => other.rename('renamed elsewhere'));
    mine.addSequence({ name: 'mine' });
    const error = await saveProject(mine, file).catch((e: unknown) => e);
    expect(isLacunaError(error, 'PROJECT_CHANGED')).toBe(true);
    expect((await loadProject(file)).project.doc.name).toBe('renamed elsewhere');
    // Saving what was loaded after the change is fine, and so is an explicit overwrite.
    await saveProject(mine, file, { replaceChangesOnDisk: true });
    mine.rename('mine again');
    await saveProject(mine, file);
    expect((await loadProject(file)).project.doc.name).toBe('mine again');
  });

  it('updateProject applies each edit to the file as it is when the edit runs', async () => {
    const file = await newProject('update');
    await Promise.all(Array.from({ length: 6 }, (_, i) => updateProject(file, (p) => p.addSequence({ name: `s${i}` }))));
    const names = (await loadProject(file)).project.doc.sequences.map((s) => s.name).sort();
    expect(names).toEqual(['Sequence 1', 's0', 's1', 's2', 's3', 's4', 's5']);
  });

  it('a failed edit saves nothing', async () => {
    const file = await newProject('failed-edit');
    await expect(updateProject(file, (p) => { p.rename('half'); throw new Error('edit failed'); })).rejects.toThrow('edit failed');
    expect((await loadProject(file)).project.doc.name).toBe('failed-edit');
  });
});

describe('concurrent CLI runs on one project (real processes, separate data folders)', () => {
  it('5 `project add` at once: every clip is in the project', async () => {
    const file = await newProject('five-adds');
    const clips = Array.from({ length: 5 }, (_, i) => makeClip(join(tmp.dir, `add${i}.mp4`), { seconds: 0.4, fps: '25', size: '160x96' }));
    const runs = await Promise.all(clips.map((c, i) => lacunaChild(['project', 'add', file, c], join(tmp.dir, `data-add${i}`))));
    for (const r of runs) expect(r.code, r.out).toBe(0);
    const { project } = await loadProject(file);
    expect(project.doc.media.map((m) => m.name).sort()).toEqual(clips.map((c) => c.replace(/^.*\//, '')).sort());
    const track = project.doc.sequences[0].tracks.find((t) => t.kind === 'video')!;
    expect(track.clips).toHaveLength(5);
    expect(existsSync(lockPathFor(file))).toBe(false);
  }, 120_000);

  it('2 `remove --project` at once on one clip: both takes are in the project, no render orphaned', async () => {
    const file = await newProject('two-removes');
    const clip = makeClip(join(tmp.dir, 'plate.mp4'), { seconds: 0.4, fps: '25', size: '160x96' });
    const matte = join(tmp.dir, 'matte.png');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=black:size=160x96,drawbox=x=60:y=30:w=30:h=30:color=white:t=fill', '-frames:v', '1', matte]);
    const add = await lacunaChild(['project', 'add', file, clip], join(tmp.dir, 'data-plate'));
    expect(add.code, add.out).toBe(0);
    const runs = await Promise.all(
      [0, 1].map((i) => lacunaChild(['remove', '--project', file, '--clip', 'plate.mp4', '--mask', matte, '--no-matte'], join(tmp.dir, `data-rm${i}`))),
    );
    for (const r of runs) expect(r.code, r.out).toBe(0);
    const { project } = await loadProject(file);
    const takes = project.doc.sequences[0].tracks.find((t) => t.kind === 'video')!.clips[0].takes;
    expect(takes.filter((t) => t.kind !== 'original')).toHaveLength(2);
    // Every file in the project's Renders folder is media of the project.
    const used = new Set(project.doc.media.map((m) => m.path));
    const rendersDir = [...used].map((p) => p.replace(/\/[^/]+$/, '')).find((d) => d !== tmp.dir)!;
    expect(rendersDir).toBeDefined();
    const rendered = readdirSync(rendersDir).filter((n) => !n.startsWith('.')).map((n) => join(rendersDir, n));
    expect(rendered.length).toBe(2);
    for (const r of rendered) expect(used.has(r), `${r} is not in the project`).toBe(true);
  }, 240_000);
});

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FarmClient, redisOptions, type FarmTakeStatus } from '../../src/engine/farm';
import type { FarmTakeJobInput } from '../../src/engine/farm/payloads';
import { clipSourceParams } from '../../src/engine/jobs/clipJob';
import { loadProject } from '../../src/engine/project';
import { lacuna } from '../cli/cliHarness';
import { eventually, RedisServer, startWorker, stopWorker, type WorkerProcess } from './farmHarness';
import { frameHashes, haveTwoBirds, squareClip, TWO_BIRDS } from './farmFixtures';
import { canRunWith } from '../helpers/externalTools';

const haveRedis = canRunWith('redis-server');

/**
 * A real farm: redis-server on loopback (append-only file on), three `lacuna worker` child
 * processes, and the CLI submitting. Covers split and join (the take equals the local render),
 * a worker killed with -9 mid-chunk and one stopped with SIGTERM, Redis restarted mid-queue with
 * 100 small jobs queued (none lost), cancel, a poisoned job, and payloads naming paths outside
 * the workers' roots.
 */
const root = mkdtempSync(join(tmpdir(), 'lacuna-farm-'));
const shared = join(root, 'shared');
mkdirSync(shared);
let redis: RedisServer;
let client: FarmClient;
const workers: WorkerProcess[] = [];

async function addWorker(name: string): Promise<WorkerProcess> {
  const dataDir = join(root, `data-${name}`);
  const w = await startWorker(redis.url, name, ['--root', shared], { LACUNA_DATA_DIR: dataDir });
  workers.push(w);
  return w;
}

beforeAll(async () => {
  redis = await RedisServer.start(join(root, 'redis'));
  client = await FarmClient.connect(redisOptions({ url: redis.url }));
  await Promise.all(['w1', 'w2', 'w3'].map(addWorker));
}, 120_000);

afterAll(async () => {
  await client?.close();
  await Promise.all(workers.map((w) => stopWorker(w)));
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

async function project(name: string, media: string, fps = '25'): Promise<string> {
  const file = join(shared, `${name}.lacuna`);
  expect((await lacuna('project', 'create', file, '--fps', fps, '--size', '568x320')).code).toBe(0);
  const add = await lacuna('project', 'add', file, media);
  expect(add.code, add.stderr).toBe(0);
  return file;
}

function resultOf(run: { lines: Record<string, unknown>[] }): Record<string, unknown> {
  return run.lines.find((l) => l.type === 'result')!.value as Record<string, unknown>;
}

async function transcodeTake(projectFile: string, takeId: string, patch: (t: FarmTakeJobInput) => FarmTakeJobInput = (t) => t): Promise<FarmTakeJobInput> {
  const { project } = await loadProject(projectFile);
  const clip = project.doc.sequences[0].tracks[0].clips[0];
  const out = join(shared, 'transcodes');
  return patch({
    v: 1,
    kind: 'transcode',
    takeId,
    label: `transcode ${takeId}`,
    params: { ...clipSourceParams(project, clip.id), codec: 'h264' },
    output: { file: join(out, `${takeId}.mp4`), scratchDir: join(out, '.farm', takeId) },
    target: null,
    submittedBy: 'test',
  });
}

async function finished(takeId: string, ms: number): Promise<FarmTakeStatus> {
  return eventually(async () => {
    const s = await client.status(takeId);
    return s.state === 'done' || s.state === 'failed' ? s : undefined;
  }, ms, `take ${takeId} to finish`);
}

describe.runIf(haveRedis && haveTwoBirds)('a 3-worker farm on two-birds', () => {
  it('splits the take into chunks across workers, and the take equals the local render', async () => {
    const clip = join(shared, 'two-birds.mov');
    expect((await lacuna('transcode', TWO_BIRDS, '--fps', '25', '-o', clip)).code).toBe(0);
    const file = await project('birds', clip);
    const settings = ['--window', '8', '--overlap', '4'];
    const run = await lacuna('--json', 'farm', 'submit', '--redis', redis.url, '--project', file, '--clip', 'two-birds.mov', 'remove the bird on the left', ...settings, '--chunk-windows', '1');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = resultOf(run);
    expect(result).toMatchObject({ changed: true });
    // What the fill added (the budgie's soft edge), summed over the chunks as a local render sums its windows.
    expect(result.explanation).toMatch(/^matched 1 of 2 birds: the left one; grew the hole over soft edges by up to \d+ px \(\d+ px a frame\)$/);
    expect(run.lines.some((l) => l.type === 'progress')).toBe(true);

    const status = await client.status(result.takeId as string);
    expect(status.chunks).toHaveLength(4);
    expect(new Set(status.chunks.map((c) => c.worker)).size).toBeGreaterThan(1);

    const local = join(root, 'birds-local.mov');
    const localRun = await lacuna('remove', clip, 'remove the bird on the left', ...settings, '-o', local);
    expect(localRun.code).toBe(0);
    expect(localRun.stdout).toContain(result.explanation as string);
    expect(frameHashes(result.file as string)).toEqual(frameHashes(local));
    expect(frameHashes(result.matte as string)).toEqual(frameHashes(join(root, 'birds-local_matte.mov')));

    // Written back as the clip's new active take, and the project saved.
    const { project: p } = await loadProject(file);
    const c = p.doc.sequences[0].tracks[0].clips[0];
    expect(c.takes).toHaveLength(2);
    expect(c.activeTakeId).toBe(result.projectTakeId);
    // Collecting again adds nothing twice; scratch is cleaned up.
    const again = await lacuna('--json', 'farm', 'collect', '--redis', redis.url, '--project', file);
    expect(resultOf(again)).toMatchObject({ added: [], pending: 0 });
    expect(existsSync(join(shared, 'birds Renders', '.farm', result.takeId as string))).toBe(false);

    const listed = await lacuna('--json', 'farm', 'status', '--redis', redis.url);
    const value = resultOf(listed) as { workers: { name: string }[]; takes: FarmTakeStatus[] };
    expect(value.workers.map((w) => w.name)).toEqual(['w1', 'w2', 'w3']);
    expect(value.takes.find((t) => t.takeId === result.takeId)).toMatchObject({ state: 'done', label: expect.stringContaining('two-birds.mov') });
  }, 600_000);
});

describe.runIf(haveRedis)('faults', () => {
  let square: string;
  let squareMatte: string;
  let squareProject: string;
  beforeAll(async () => {
    ({ clip: square, matte: squareMatte } = squareClip(shared, 60, 'long'));
    squareProject = await project('square', square);
  });

  // The lock lasts 60 s here (a window fill holds the worker's event loop, and this machine is shared).
  it('a worker killed with -9 mid-chunk and one stopped with SIGTERM: their chunks run elsewhere, the take equals the local render', async () => {
    const settings = ['--mask', squareMatte, '--window', '10', '--overlap', '2', '--mask-dilate', '1'];
    const run = await lacuna('--json', 'farm', 'submit', '--redis', redis.url, '--project', squareProject, '--clip', 'long.mov', ...settings, '--chunk-windows', '1', '--detach');
    expect(run.code, run.stderr).toBe(0);
    const takeId = resultOf(run).takeId as string;
    // Wait until two different workers each run a chunk, then take them both away.
    const [a, b] = await eventually(async () => {
      const s = await client.status(takeId);
      // A chunk that has just turned active may not name its worker yet (status says null): not counted.
      const running = [...new Set(s.chunks.filter((c) => c.state === 'running' && c.worker !== null).map((c) => c.worker!))];
      return running.length >= 2 ? running : undefined;
    }, 60_000, 'two chunks running', 50);
    const killed = workers.find((w) => w.name === a)!;
    const stopped = workers.find((w) => w.name === b)!;
    killed.child.kill('SIGKILL');
    expect(await stopWorker(stopped)).toBe(0);
    expect(stopped.events.some((e) => e.event === 'requeued')).toBe(true);

    const done = await finished(takeId, 240_000);
    expect(done.state, done.error ?? '').toBe('done');
    // The killed worker's chunk was taken back after the stall interval and finished by another.
    expect(done.chunks.every((c) => c.state === 'done' && c.worker !== a)).toBe(true);

    const local = join(root, 'long-local.mov');
    expect((await lacuna('remove', square, ...settings, '-o', local)).code).toBe(0);
    expect(frameHashes(done.result!.takeFile!)).toEqual(frameHashes(local));

    workers.splice(workers.indexOf(killed), 1);
    workers.splice(workers.indexOf(stopped), 1);
    await Promise.all([addWorker(`${a}b`), addWorker(`${b}b`)]);
  }, 400_000);

  it('cancel stops a running take within moments and writes no take', async () => {
    const run = await lacuna('--json', 'farm', 'submit', '--redis', redis.url, '--project', squareProject, '--clip', 'long.mov', '--mask', squareMatte, '--window', '10', '--overlap', '2', '--chunk-windows', '1', '--detach');
    const takeId = resultOf(run).takeId as string;
    await eventually(async () => ((await client.status(takeId)).chunks.some((c) => c.state === 'running') ? true : undefined), 60_000, 'a chunk running', 50);
    const cancel = await lacuna('--json', 'farm', 'cancel', '--redis', redis.url, takeId);
    expect(cancel.code, cancel.stderr).toBe(0);
    const status = await client.waitFor(takeId, { pollMs: 100 });
    expect(status.state).toBe('cancelled');
    expect(status.chunks.some((c) => c.state === 'done' && c.index >= 5)).toBe(false);
    const renders = readdirSync(join(shared, 'square Renders')).filter((f) => f.includes(takeId.slice(-6)));
    expect(renders).toEqual([]);
    // Retry queues it again, and it finishes.
    expect((await lacuna('farm', 'retry', '--redis', redis.url, takeId)).code).toBe(0);
    expect((await finished(takeId, 90_000)).state).toBe('done');
  });

  it('a poisoned job stops after its tries with its error', async () => {
    const garbage = join(shared, 'garbage.mov');
    writeFileSync(garbage, 'not a video at all');
    const take = await transcodeTake(squareProject, 'poison1', (t) => ({ ...t, params: { ...t.params, media: { ...t.params.media, path: garbage } } }) as FarmTakeJobInput);
    await client.submit(take, { resource: 'cpu', attempts: 3, backoffMs: 100 });
    const status = await finished('poison1', 60_000);
    expect(status.state).toBe('failed');
    expect(status.attempts).toBe(3);
    expect(status.error).toMatch(/garbage\.mov/);
    const shown = await lacuna('farm', 'status', '--redis', redis.url, 'poison1');
    expect(shown.stdout).toMatch(/failed/);
    expect(shown.stdout).toMatch(/garbage\.mov/);
  });

  it('refuses payloads with paths outside the roots, and malformed ones, without retrying', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lacuna-outside-'));
    copyFileSync(square, join(outside, 'long.mov'));
    const reads = await transcodeTake(squareProject, 'outside-read', (t) => ({ ...t, params: { ...t.params, media: { ...t.params.media, path: join(outside, 'long.mov') } } }) as FarmTakeJobInput);
    const writes = await transcodeTake(squareProject, 'outside-write', (t) => ({ ...t, output: { ...t.output, file: join(outside, 'x.mp4') } }));
    const escapes = await transcodeTake(squareProject, 'dotdot', (t) => ({ ...t, output: { ...t.output, file: join(shared, '..', 'escape.mp4') } }));
    for (const t of [reads, writes, escapes]) await client.submit(t, { resource: 'cpu', attempts: 3, backoffMs: 100 });
    for (const id of ['outside-read', 'outside-write', 'dotdot']) {
      const s = await finished(id, 30_000);
      expect(s.state).toBe('failed');
      expect(s.attempts).toBeLessThanOrEqual(1);
      expect(s.error).toMatch(/refused the job's (media|output file)/);
    }
    expect(readdirSync(outside)).toEqual(['long.mov']);
    expect(existsSync(join(root, 'escape.mp4'))).toBe(false);
    rmSync(outside, { recursive: true, force: true });
  });

  it('drains 100 queued jobs while Redis restarts mid-queue, losing none', async () => {
    const tiny = squareClip(shared, 3, 'tiny').clip;
    const file = await project('tiny', tiny);
    const ids = Array.from({ length: 100 }, (_, i) => `drain${i}`);
    for (const id of ids) await client.submit(await transcodeTake(file, id), { resource: 'cpu', attempts: 3, backoffMs: 200 });
    await eventually(async () => ((await Promise.all(ids.slice(0, 5).map((id) => client.status(id)))).some((s) => s.state === 'done') ? true : undefined), 60_000, 'the first jobs done');
    const before = (await Promise.all(ids.map((id) => client.status(id)))).filter((s) => s.state !== 'done').length;
    expect(before).toBeGreaterThan(10);
    await redis.restart();
    const states = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => client.status(id)));
      return all.every((s) => s.state === 'done' || s.state === 'failed') ? all : undefined;
    }, 180_000, 'all 100 jobs done', 1000);
    expect(states.filter((s) => s.state !== 'done').map((s) => `${s.takeId}: ${s.error}`)).toEqual([]);
    expect(readdirSync(join(shared, 'transcodes')).filter((f) => f.startsWith('drain') && f.endsWith('.mp4'))).toHaveLength(100);
  });
});

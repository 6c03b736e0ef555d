import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRequestDto } from '../../src/api/schemas/jobs';
import { AppFarm } from '../../src/engine/app/appFarm';
import { farmEngineOf, farmRemovalTake, FarmClient, PathMap, redisOptions, startFarmWorker, type FarmTakeStatus, type FarmWorker } from '../../src/engine/farm';
import { bullConnection } from '../../src/engine/farm/farmWorker';
import { FarmTakeJobSchema, type FarmRemovalTake, type FarmTakeJobInput } from '../../src/engine/farm/payloads';
import { queueName } from '../../src/engine/farm/queues';
import { manifestSha256, type PackIdentity } from '../../src/engine/lgvi/pack/packIdentity';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { loadProject, type Project } from '../../src/engine/project';
import type { RemovalEngine } from '../../src/engine/removal/removalEngine';
import { lacuna, resultOf } from '../cli/cliHarness';
import { canRunWith } from '../helpers/externalTools';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { eventually, RedisServer } from './farmHarness';
import { squareClip } from './farmFixtures';

const haveRedis = canRunWith('redis-server');

/**
 * A take sent with an LGVI pack names that pack by identity (manifest id and hash, not its path),
 * and a worker renders it with that pack or refuses it clearly. Real Redis; the worker runs in
 * this process over fake engines on two real (tiny) packs, so what is tested is which pack is
 * chosen, not LGVI itself.
 */
const root = mkdtempSync(join(tmpdir(), 'lacuna-farm-packs-'));
const shared = join(root, 'shared');
mkdirSync(shared);
let redis: RedisServer;
let packA: string;
let packB: string;
let projectFile: string;
let project: Project;

async function identityOf(dir: string): Promise<PackIdentity> {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { id: string };
  return { id: manifest.id, sha256: manifestSha256(readFileSync(join(dir, 'manifest.json'))) };
}

/** An engine that says which pack it ran and changes nothing (the farm keeps no take). */
function fakeLgvi(packDir: string, name: string): RemovalEngine {
  return {
    id: 'lgvi',
    label: 'LGVI',
    description: `fake LGVI on pack ${name}`,
    resource: 'gpu',
    targets: ['expression'],
    packDir,
    remove: async () => ({ changed: false, explanation: `rendered with pack ${name}`, params: { engine: 'lgvi' }, matteWritten: false }),
  };
}

beforeAll(async () => {
  packA = join(root, 'packs', 'a');
  packB = join(root, 'packs', 'b');
  mkdirSync(packA, { recursive: true });
  mkdirSync(packB, { recursive: true });
  await writeTinyRandomPack({ dir: packA, working: SMALL_WORKING, id: 'pack-a' });
  await writeTinyRandomPack({ dir: packB, working: SMALL_WORKING, id: 'pack-b' });
  const { clip } = squareClip(shared, 3, 'sq');
  projectFile = join(shared, 'packs.lacuna');
  expect((await lacuna('project', 'create', projectFile, '--fps', '25', '--size', '96x64')).code).toBe(0);
  expect((await lacuna('project', 'add', projectFile, clip)).code).toBe(0);
  ({ project } = await loadProject(projectFile));
  if (haveRedis) redis = await RedisServer.start(join(root, 'redis'));
}, 120_000);

afterAll(async () => {
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

function clipId(): string {
  return project.doc.sequences[0].tracks[0].clips[0].id;
}

async function lgviTake(takeId: string, modelPack?: PackIdentity): Promise<FarmRemovalTake> {
  const take = farmRemovalTake(
    project,
    { clipId: clipId(), engine: 'lgvi', ...(modelPack && { modelPack }), target: { kind: 'expression', text: 'the square' }, codec: 'prores_hq', settings: { seed: 0, maskDilate: 8, maskFeather: 2, fullFrame: false, engine: {} }, writeMatte: false, what: 'the square' },
    root,
    takeId,
  );
  return take as FarmRemovalTake;
}

/** The take's payload as stored on the farm's queue. */
async function storedTake(prefix: string, takeId: string, resource: 'cpu' | 'gpu' = 'gpu'): Promise<Record<string, unknown>> {
  const queue = new Queue(queueName(resource), { connection: bullConnection(redisOptions({ url: redis.url })), prefix });
  try {
    return (await queue.getJob(takeId))!.data as Record<string, unknown>;
  } finally {
    await queue.close();
  }
}

describe('the take payload', () => {
  it('parses with and without the model pack, and refuses a malformed one', async () => {
    const pack = await identityOf(packB);
    const withPack = await lgviTake('with-pack', pack);
    expect(FarmTakeJobSchema.parse(withPack)).toMatchObject({ engine: 'lgvi', modelPack: pack });
    // A take queued before packs were named (v 1, no field) still parses, with no pack.
    const { modelPack: _, ...old } = withPack;
    const parsed = FarmTakeJobSchema.parse(old);
    expect(parsed).not.toHaveProperty('modelPack');
    expect(FarmTakeJobSchema.safeParse({ ...withPack, modelPack: { id: 'pack-b', sha256: 'abc' } }).success).toBe(false);
    expect(FarmTakeJobSchema.safeParse({ ...withPack, modelPack: { id: 'pack-b' } }).success).toBe(false);
  });

  it("farmEngineOf gives a pack engine's identity (manifest id and hash, as LGVI records it) and none for Lite", async () => {
    expect(await farmEngineOf(fakeLgvi(packB, 'B'))).toEqual({ engine: 'lgvi', modelPack: await identityOf(packB) });
    expect(await farmEngineOf({ id: 'lite' })).toEqual({ engine: 'lite' });
    await expect(farmEngineOf({ id: 'lgvi', packDir: join(root, 'no-such-pack') })).rejects.toMatchObject({ code: 'MODEL_PACK_NOT_FOUND' });
  });
});

describe.runIf(haveRedis)('submitting with a pack', () => {
  it('the app puts the chosen pack in the take', async () => {
    const farm = new AppFarm({ url: redis.url }, root);
    try {
      const request = { kind: 'remove', clipId: clipId(), expression: 'the square' } as Extract<JobRequestDto, { kind: 'remove' }>;
      const job = await farm.submit(project, request, fakeLgvi(packB, 'B'));
      expect((await storedTake('lacuna', job.id)).modelPack).toEqual(await identityOf(packB));
    } finally {
      await farm.dispose();
    }
  });

  it('`lacuna farm submit --engine lgvi --pack DIR` puts that pack in the take', async () => {
    const run = await lacuna('--json', 'farm', 'submit', '--redis', redis.url, '--project', projectFile, '--clip', 'sq.mov', '--engine', 'lgvi', '--pack', packA, '--detach', 'the square');
    expect(run.code, run.stderr).toBe(0);
    const takeId = resultOf(run).takeId as string;
    expect((await storedTake('lacuna', takeId)).modelPack).toEqual(await identityOf(packA));
  });

  it('a Lite take names no pack', async () => {
    const run = await lacuna('--json', 'farm', 'submit', '--redis', redis.url, '--project', projectFile, '--clip', 'sq.mov', '--detach', 'the square');
    expect(run.code, run.stderr).toBe(0);
    const stored = await storedTake('lacuna', resultOf(run).takeId as string, 'cpu');
    expect(stored.engine).toBe('lite');
    expect(stored).not.toHaveProperty('modelPack');
  });
});

describe.runIf(haveRedis)('a worker with two LGVI packs', () => {
  const prefix = 'packs-worker';
  let client: FarmClient;
  let worker: FarmWorker;
  beforeAll(async () => {
    client = await FarmClient.connect(redisOptions({ url: redis.url }), prefix);
    worker = await startFarmWorker({
      connection: redisOptions({ url: redis.url }),
      prefix,
      name: 'gpu-1',
      resources: ['gpu'],
      paths: new PathMap([], [shared, root]),
      ffmpeg: ffmpegPaths,
      engines: [fakeLgvi(packA, 'A'), fakeLgvi(packB, 'B')],
    });
  }, 60_000);
  afterAll(async () => {
    await worker?.close();
    await client?.close();
  }, 60_000);

  async function run(take: FarmTakeJobInput): Promise<FarmTakeStatus> {
    await client.submit(take, { resource: 'gpu', attempts: 3, backoffMs: 100 });
    return eventually(async () => {
      const s = await client.status(take.takeId);
      return s.state === 'done' || s.state === 'failed' ? s : undefined;
    }, 30_000, `take ${take.takeId}`);
  }

  it('renders with the pack the take names, not the first one', async () => {
    const done = await run(await lgviTake('names-b', await identityOf(packB)));
    expect(done.state, done.error ?? '').toBe('done');
    expect(done.result?.explanation).toBe('rendered with pack B');
  });

  it('a take with no pack (queued before packs were named) renders with the first, as before', async () => {
    const done = await run(await lgviTake('names-none'));
    expect(done.state, done.error ?? '').toBe('done');
    expect(done.result?.explanation).toBe('rendered with pack A');
  });

  it('fails at once, clearly, when it has no pack with that identity (same id, other manifest included)', async () => {
    const missing = { id: 'pack-c', sha256: 'c0ffee'.padEnd(64, '0') };
    const other = { ...(await identityOf(packB)), sha256: 'b'.repeat(64) };
    for (const [takeId, pack] of [['names-c', missing], ['names-b-other', other]] as const) {
      const failed = await run(await lgviTake(takeId, pack));
      expect(failed.state).toBe('failed');
      expect(failed.attempts).toBeLessThanOrEqual(1);
      const error = failed.error!;
      expect(error.split('\n').length).toBeLessThanOrEqual(2);
      expect(error).not.toMatch(/\n\s+at /);
      expect(error).toContain(`[UNSUPPORTED] worker gpu-1 does not have the model pack ${pack.id} (manifest sha256 ${pack.sha256.slice(0, 12)})`);
      expect(error).not.toContain(pack.sha256.slice(0, 13));
      expect(error).toContain('lacuna worker --gpu --pack DIR');
      expect(error).toContain('Lite engine');
    }
  });
});

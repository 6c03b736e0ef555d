import { describe, expect, it } from 'vitest';
import type { FarmStatusDto, FarmTakeDto } from '../../src/api/schemas/farm';
import { JobRequestSchema } from '../../src/api/schemas/jobs';
import { collectable, farmChoice, farmPollMs, farmTakeLine, farmWorkers, projectTakes } from '../../src/renderer/src/jobs/farmJobs';
import { renderRequest } from '../../src/renderer/src/removal/removalRequests';
import type { RemovalDraft } from '../../src/renderer/src/store/appStore';

/* The render farm as the app shows it: Run on's choice and reason, a farm take's line, Collect, the poll pace, the request. */

const status = (p: Partial<FarmStatusDto> = {}): FarmStatusDto => ({ configured: true, redis: 'redis://farm:6379', reachable: true, error: null, workers: [], ...p });
const worker = (name: string) => ({ name, host: 'node', resources: ['cpu' as const], concurrency: 1, active: [], lastSeenSeconds: 1 });
const take = (p: Partial<FarmTakeDto> = {}): FarmTakeDto => ({
  takeId: 't1',
  label: 'remove the bird · clip (lite)',
  state: 'queued',
  progress: null,
  message: null,
  worker: null,
  chunks: [],
  error: null,
  clipId: 'c1',
  resultTakeId: null,
  file: null,
  submittedBy: 'ed@mac',
  createdAt: '2026-01-01T00:00:00Z',
  finishedAt: null,
  ...p,
});
const chunk = (index: number, state: FarmTakeDto['chunks'][number]['state'], worker: string | null) => ({ index, state, worker, progress: state === 'done' ? 1 : null });

describe('Run on: farm', () => {
  it('is disabled with a one-line reason until a reachable farm and a saved project', () => {
    expect(farmChoice(null, { path: '/p.lacuna' })).toMatchObject({ available: false, reason: 'Checking for a render farm…' });
    expect(farmChoice(status({ configured: false, redis: null }), { path: '/p.lacuna' }).reason).toMatch(/^No render farm is set up: start Lacuna with LACUNA_REDIS_URL/);
    expect(farmChoice(status({ reachable: false, error: 'connect ECONNREFUSED' }), { path: '/p.lacuna' })).toEqual({ available: false, reason: 'The farm’s Redis (redis://farm:6379) does not answer.', note: 'connect ECONNREFUSED' });
    expect(farmChoice(status(), { path: null }).reason).toMatch(/^Save the project first/);
    for (const r of [farmChoice(status({ configured: false }), null), farmChoice(status({ reachable: false }), null)]) expect(r.reason!.split('\n')).toHaveLength(1);
  });

  it('is available with the workers named, and says when none is online', () => {
    expect(farmChoice(status({ workers: [worker('w1'), worker('w2')] }), { path: '/p.lacuna' })).toEqual({ available: true, reason: null, note: '2 workers online: w1, w2' });
    expect(farmChoice(status(), { path: '/p.lacuna' }).note).toBe('No worker is online: the removal waits on the farm until one starts.');
  });

  it('sends runOn only for the farm, in a request the API accepts', () => {
    const d: RemovalDraft = {
      clipId: 'c1',
      expression: ' the bird ',
      engine: 'lite',
      seed: 3,
      maskDilate: 8,
      maskFeather: 2,
      engineSettings: { workingSide: 640 },
      pack: null,
      composite: 'union',
      target: 'words',
      mattePath: '',
      range: 'clip',
      marks: null,
      startFrom: 'active',
      plan: null,
      find: null,
      chosen: [],
      busy: null,
      error: null,
      runOn: 'farm',
    };
    const farm = renderRequest(d, 'lite');
    expect(farm).toEqual({ kind: 'remove', clipId: 'c1', expression: 'the bird', engine: 'lite', seed: 3, maskDilate: 8, maskFeather: 2, engineSettings: { workingSide: 640 }, runOn: 'farm' });
    expect(JobRequestSchema.safeParse(farm).success).toBe(true);
    expect(renderRequest({ ...d, runOn: 'local' }, 'lite')).not.toHaveProperty('runOn');
  });
});

describe('a farm take in the Jobs panel', () => {
  it('names the worker and counts chunks while rendering', () => {
    const t = take({ state: 'rendering chunks', progress: 0.55, message: '3 of 5 chunks', chunks: [chunk(0, 'done', 'w1'), chunk(1, 'done', 'w2'), chunk(2, 'done', 'w1'), chunk(3, 'running', 'w2'), chunk(4, 'running', 'w3')] });
    expect(farmTakeLine(t)).toEqual({ state: 'Rendering', percent: 55, workers: 'on w2, w3', chunks: '3 of 5 chunks', message: null, error: null });
    const finding = take({ state: 'running', progress: 0.1, message: 'finding objects', worker: 'w1' });
    expect(farmTakeLine(finding)).toMatchObject({ state: 'Running', workers: 'on w1', message: 'Finding objects', chunks: null, percent: 10 });
    expect(farmTakeLine(take())).toMatchObject({ state: 'Queued', workers: 'waiting for a worker', percent: null });
  });

  it('shows who rendered a finished take, and a failed one’s error', () => {
    const done = take({ state: 'done', progress: 1, chunks: [chunk(0, 'done', 'w1'), chunk(1, 'done', 'w2')] });
    expect(farmTakeLine(done)).toMatchObject({ state: 'Done', percent: 100, workers: 'rendered on w1, w2', chunks: '2 of 2 chunks', message: null });
    expect(farmWorkers(take({ state: 'done' }))).toEqual([]);
    expect(farmTakeLine(take({ state: 'cancelled', chunks: [chunk(0, 'done', 'w3')] })).workers).toBe('ran on w3');
    expect(farmTakeLine(take({ state: 'failed', error: 'chunk 1: [MEDIA_UNREADABLE] cannot read frame 12' })).error).toBe('chunk 1: [MEDIA_UNREADABLE] cannot read frame 12');
    expect(farmTakeLine(take({ state: 'failed' })).error).toBe('failed without a reason given');
  });

  it('collects only finished takes of the open project not yet in it', () => {
    const all = [take({ takeId: 'a', state: 'done' }), take({ takeId: 'b', state: 'done', resultTakeId: 'k' }), take({ takeId: 'c', state: 'done', clipId: null }), take({ takeId: 'd', state: 'running' })];
    expect(collectable(all).map((t) => t.takeId)).toEqual(['a']);
    expect(projectTakes(all).map((t) => t.takeId)).toEqual(['a', 'b', 'd']);
  });

  it('asks often only while something of the project moves', () => {
    expect(farmPollMs(null, [])).toBe(30_000);
    expect(farmPollMs(status({ configured: false }), [])).toBe(30_000);
    expect(farmPollMs(status({ reachable: false }), [])).toBe(10_000);
    expect(farmPollMs(status(), [take({ state: 'done' })])).toBe(5_000);
    expect(farmPollMs(status(), [take({ state: 'running', clipId: null })])).toBe(5_000);
    expect(farmPollMs(status(), [take({ state: 'rendering chunks' })])).toBe(1_500);
  });
});

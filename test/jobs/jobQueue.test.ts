import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, JobQueue, jobTempDir, type JobEvent, type JobQueueOptions, type JobRecord } from '../../src/engine/jobs';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { tempDir } from '../app/fixtures';
import { stepKind, type StepEvent, type StepParams } from './testKinds';

let tmp: ReturnType<typeof tempDir>;
let events: StepEvent[];
let queues: JobQueue[];

beforeEach(() => {
  tmp = tempDir('lacuna-jobs-');
  events = [];
  queues = [];
});
afterEach(async () => {
  for (const q of queues) await q.dispose();
  tmp.cleanup();
});

const outDir = () => join(tmp.dir, 'renders');

async function openQueue(options: Partial<JobQueueOptions> = {}): Promise<JobQueue> {
  const q = await JobQueue.open({
    dataDir: join(tmp.dir, 'data'),
    kinds: [stepKind('gpu-step', 'gpu', events), stepKind('cpu-step', 'cpu', events)],
    ffmpeg: ffmpegPaths,
    cpuSlots: 2,
    ...options,
  });
  queues.push(q);
  return q;
}

function submit(q: JobQueue, kind: 'gpu-step' | 'cpu-step', params: StepParams, name = params.name ?? 'job'): JobRecord {
  return q.submit({ kind, params, output: { dir: outDir(), name } });
}

function span(jobId: string): { start: number; end: number } {
  const start = events.find((e) => e.jobId === jobId && e.event === 'start')!.at;
  const end = events.find((e) => e.jobId === jobId && e.event === 'end')!.at;
  return { start, end };
}

function record(q: JobQueue): JobEvent[] {
  const seen: JobEvent[] = [];
  q.on((e) => seen.push(e));
  return seen;
}

describe('JobQueue scheduling', () => {
  it('runs GPU jobs one at a time in queue order while CPU jobs run beside them', async () => {
    const q = await openQueue();
    const g1 = submit(q, 'gpu-step', { name: 'g1', steps: 4, stepMs: 30 });
    const g2 = submit(q, 'gpu-step', { name: 'g2', steps: 4, stepMs: 30 });
    const c1 = submit(q, 'cpu-step', { name: 'c1', steps: 4, stepMs: 30 });
    const c2 = submit(q, 'cpu-step', { name: 'c2', steps: 4, stepMs: 30 });
    expect(q.get(g1.id).state).toBe('running');
    expect(q.get(g2.id).state).toBe('queued');
    expect(q.get(c1.id).state).toBe('running');
    expect(q.activeCount()).toBe(4);
    const done = await Promise.all([g1, g2, c1, c2].map((j) => q.whenFinished(j.id)));
    expect(done.map((j) => j.state)).toEqual(['done', 'done', 'done', 'done']);
    // The two GPU jobs never overlap, and the first queued ran first.
    expect(span(g1.id).end).toBeLessThanOrEqual(span(g2.id).start);
    // CPU jobs ran during the first GPU job, not after it.
    expect(span(c1.id).start).toBeLessThan(span(g1.id).end);
    expect(span(c2.id).start).toBeLessThan(span(g1.id).end);
    expect(q.activeCount()).toBe(0);
  });

  it('keeps the configured number of CPU jobs at once, oldest first', async () => {
    const q = await openQueue({ cpuSlots: 1 });
    const jobs = ['a', 'b', 'c'].map((name) => submit(q, 'cpu-step', { name, steps: 2, stepMs: 20 }));
    expect(jobs.map((j) => q.get(j.id).state)).toEqual(['running', 'queued', 'queued']);
    await Promise.all(jobs.map((j) => q.whenFinished(j.id)));
    const starts = jobs.map((j) => span(j.id));
    expect(starts[0].end).toBeLessThanOrEqual(starts[1].start);
    expect(starts[1].end).toBeLessThanOrEqual(starts[2].start);
  });

  it('refuses unknown kinds and bad params with clear errors', async () => {
    const q = await openQueue();
    expect(() => q.submit({ kind: 'lgvi', params: {}, output: { dir: outDir(), name: 'x' } })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringContaining('cannot run "lgvi" jobs (installed: gpu-step, cpu-step)') }),
    );
    expect(() => q.submit({ kind: 'cpu-step', params: { steps: 0, stepMs: 1 }, output: { dir: outDir(), name: 'x' } })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringContaining('steps') }),
    );
    expect(() => q.cancel('job-nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(q.list()).toEqual([]);
  });
});

describe('JobQueue progress', () => {
  it('reports stage, fraction and, once a rate is measured, a falling ETA', async () => {
    const q = await openQueue();
    const seen = record(q);
    const job = submit(q, 'cpu-step', { steps: 8, stepMs: 80 });
    await q.whenFinished(job.id);
    const progress = seen.filter((e) => e.type === 'progress' && e.job.stage === 'working').map((e) => e.job);
    expect(progress.map((j) => j.progress)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((i) => i / 8));
    const etas = progress.map((j) => j.etaSeconds);
    expect(etas[0]).toBeNull();
    const known = etas.filter((e): e is number => e !== null);
    expect(known.length).toBeGreaterThanOrEqual(4);
    // About 80 ms per step left to go: the estimate is of the right size and falls to zero.
    const sixth = etas[5]!;
    expect(sixth).toBeGreaterThan(0.08);
    expect(sixth).toBeLessThan(2);
    expect(etas.at(-1)).toBe(0);
    const states = seen.filter((e) => e.type === 'state').map((e) => e.job.state);
    expect(states).toEqual(['queued', 'running', 'running', 'done']);
    expect(q.get(job.id)).toMatchObject({ state: 'done', progress: 1, etaSeconds: null, error: null });
  });
});

describe('JobQueue cancel, failure and retry', () => {
  it('cancels a queued job before it starts', async () => {
    const q = await openQueue();
    const g1 = submit(q, 'gpu-step', { name: 'g1', steps: 3, stepMs: 20 });
    const g2 = submit(q, 'gpu-step', { name: 'g2', steps: 3, stepMs: 20 });
    expect(q.cancel(g2.id).state).toBe('cancelled');
    await q.whenFinished(g1.id);
    expect(events.some((e) => e.jobId === g2.id)).toBe(false);
    expect(q.get(g2.id)).toMatchObject({ state: 'cancelled', startedAt: null, finishedAt: expect.any(String) });
  });

  it('stops a running job within one step, removes its scratch files and writes nothing', async () => {
    const q = await openQueue();
    const job = submit(q, 'gpu-step', { steps: 500, stepMs: 20 });
    const scratch = jobTempDir(outDir(), job.id);
    await new Promise<void>((resolve) => q.on((e) => e.type === 'progress' && (e.job.progress ?? 0) >= 3 / 500 && resolve()));
    expect(readdirSync(scratch)).toEqual(['1-scratch.bin']);
    q.cancel(job.id);
    const stepsAtCancel = events.filter((e) => e.jobId === job.id && e.event === 'step').length;
    const finished = await q.whenFinished(job.id);
    expect(finished).toMatchObject({ state: 'cancelled', error: null, result: null });
    const stepsAfter = events.filter((e) => e.jobId === job.id && e.event === 'step').length - stepsAtCancel;
    expect(stepsAfter).toBeLessThanOrEqual(1);
    expect(existsSync(scratch)).toBe(false);
    expect(readdirSync(outDir())).toEqual([]);
  });

  it('keeps a failure\'s code, message and hint, and cleans up', async () => {
    const q = await openQueue();
    const job = submit(q, 'cpu-step', { steps: 5, stepMs: 5, failAt: 2 });
    const finished = await q.whenFinished(job.id);
    expect(finished.state).toBe('failed');
    expect(finished.error).toEqual({ code: 'MEDIA_UNREADABLE', message: 'step 2 could not read its input', hint: 'Check the input file.' });
    expect(existsSync(jobTempDir(outDir(), job.id))).toBe(false);
    expect(readdirSync(outDir())).toEqual([]);
  });

  it('says which render folder cannot be written, as something the user can fix', async () => {
    const q = await openQueue();
    writeFileSync(join(tmp.dir, 'not-a-folder'), '');
    const job = q.submit({ kind: 'cpu-step', params: { steps: 1, stepMs: 0 }, output: { dir: join(tmp.dir, 'not-a-folder', 'renders'), name: 'x' } });
    const failed = await q.whenFinished(job.id);
    expect(failed.error).toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining(`cannot write the render to ${join(tmp.dir, 'not-a-folder', 'renders')}`),
      hint: expect.stringContaining('writable'),
    });
  });

  it('retries a cancelled job with the same params, as a new attempt', async () => {
    const q = await openQueue();
    const g1 = submit(q, 'gpu-step', { name: 'g1', steps: 2, stepMs: 20 });
    const g2 = submit(q, 'gpu-step', { name: 'g2', steps: 2, stepMs: 5 });
    q.cancel(g2.id);
    expect(() => q.retry(g1.id)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', message: expect.stringContaining('is running') }));
    const again = q.retry(g2.id);
    expect(again).toMatchObject({ state: 'queued', attempt: 2, params: g2.params, finishedAt: null });
    const done = await q.whenFinished(g2.id);
    expect(done.state).toBe('done');
    expect(readFileSync(done.result!.takeFile, 'utf8')).toBe('rendered g2\n');
  });
});

describe('JobQueue results', () => {
  it('places the render under its name without replacing an existing file', async () => {
    const q = await openQueue();
    const first = submit(q, 'cpu-step', { name: 'shot', steps: 1, stepMs: 0 }, 'shot - Step - Take 1');
    const a = await q.whenFinished(first.id);
    expect(a.result).toEqual({ takeFile: join(outDir(), 'shot - Step - Take 1.txt'), params: { engine: 'cpu-step', extra: { steps: 1 } }, sourceStart: 0 });
    writeFileSync(join(outDir(), 'shot - Step - Take 2.txt'), 'keep me');
    const second = submit(q, 'cpu-step', { name: 'again', steps: 1, stepMs: 0 }, 'shot - Step - Take 2');
    const b = await q.whenFinished(second.id);
    expect(b.result!.takeFile).toBe(join(outDir(), 'shot - Step - Take 2 (2).txt'));
    expect(readFileSync(join(outDir(), 'shot - Step - Take 2.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(outDir()).sort()).toEqual(['shot - Step - Take 1.txt', 'shot - Step - Take 2 (2).txt', 'shot - Step - Take 2.txt']);
  });

  it('hands the placed result to the complete hook and keeps the file when the hook fails', async () => {
    const q = await openQueue({
      complete: async (job) => {
        if (job.label.endsWith('bad')) throw new Error('the project is read-only');
        return { resultTakeId: 'take-1' };
      },
    });
    const good = await q.whenFinished(submit(q, 'cpu-step', { name: 'good', steps: 1, stepMs: 0 }).id);
    expect(good).toMatchObject({ state: 'done', resultTakeId: 'take-1', note: null });
    const bad = await q.whenFinished(submit(q, 'cpu-step', { name: 'bad', steps: 1, stepMs: 0 }).id);
    expect(bad.state).toBe('done');
    expect(bad.resultTakeId).toBeNull();
    expect(bad.note).toBe(`The render is kept at ${bad.result!.takeFile}, but it could not be added to the project: the project is read-only`);
    expect(existsSync(bad.result!.takeFile)).toBe(true);
  });
});

describe('JobQueue journal', () => {
  it('writes every state change, and the next queue lists the jobs', async () => {
    const q = await openQueue();
    const done = submit(q, 'cpu-step', { name: 'done', steps: 1, stepMs: 0 });
    await q.whenFinished(done.id);
    const failed = submit(q, 'cpu-step', { name: 'failed', steps: 2, stepMs: 0, failAt: 1 });
    await q.whenFinished(failed.id);
    await q.saved();
    const journal = JSON.parse(readFileSync(join(tmp.dir, 'data', JOURNAL_FILE), 'utf8'));
    expect(journal.owner.pid).toBe(process.pid);
    expect(journal.jobs.map((j: JobRecord) => [j.label, j.state])).toEqual([
      ['cpu-step done', 'done'],
      ['cpu-step failed', 'failed'],
    ]);
    await q.dispose();
    expect(JSON.parse(readFileSync(join(tmp.dir, 'data', JOURNAL_FILE), 'utf8')).owner).toBeNull();
    const next = await openQueue();
    expect(next.list().map((j) => [j.id, j.state, j.error?.code ?? null])).toEqual([
      [done.id, 'done', null],
      [failed.id, 'failed', 'MEDIA_UNREADABLE'],
    ]);
  });

  it('records running and queued jobs as interrupted when the app quits, and retries them', async () => {
    const q = await openQueue();
    const running = submit(q, 'gpu-step', { name: 'r', steps: 500, stepMs: 20 });
    const queued = submit(q, 'gpu-step', { name: 'q', steps: 1, stepMs: 0 });
    await new Promise<void>((resolve) => q.on((e) => e.type === 'progress' && resolve()));
    await q.dispose();
    expect(existsSync(jobTempDir(outDir(), running.id))).toBe(false);
    const next = await openQueue();
    const [r, qd] = next.list();
    expect(r).toMatchObject({ id: running.id, state: 'interrupted', error: { code: 'CANCELLED', message: 'Lacuna quit before this job finished', hint: 'Retry starts it again from step 1.' } });
    expect(qd).toMatchObject({ id: queued.id, state: 'interrupted', error: { message: 'Lacuna quit before this job started' } });
    next.retry(queued.id);
    expect((await next.whenFinished(queued.id)).state).toBe('done');
  });

  it('sets an unreadable journal aside instead of overwriting it', async () => {
    const data = join(tmp.dir, 'data');
    const q0 = await openQueue();
    await q0.dispose();
    writeFileSync(join(data, JOURNAL_FILE), '{"format":"lacuna.jobs","version":1,"owner":null,"jobs":[{"id":1}');
    const logged: string[] = [];
    const q = await openQueue({ log: (m) => logged.push(m) });
    expect(q.list()).toEqual([]);
    expect(logged[0]).toMatch(/^the job list was unreadable/);
    const aside = readdirSync(data).filter((f) => f.startsWith(`${JOURNAL_FILE}.unreadable-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(data, aside[0]), 'utf8')).toContain('"jobs":[{"id":1}');
  });

  function writeJournal(owner: { pid: number } | null, jobs: JobRecord[]): void {
    mkdirSync(join(tmp.dir, 'data'), { recursive: true });
    const body = { format: 'lacuna.jobs', version: 1, owner: owner && { ...owner, instance: 'other', since: '2026-01-01T00:00:00.000Z' }, jobs };
    writeFileSync(join(tmp.dir, 'data', JOURNAL_FILE), JSON.stringify(body));
  }

  function runningRecord(result: JobRecord['result']): JobRecord {
    return {
      id: 'job-crashed', kind: 'cpu-step', label: 'cpu-step shot', params: { name: 'shot', steps: 3, stepMs: 1 }, state: 'running', attempt: 1,
      target: null, output: { dir: outDir(), name: 'shot' }, stage: 'working', progress: 0.5, units: { done: 1, total: 2 }, etaSeconds: 3, error: null, warnings: [],
      result, resultTakeId: null, note: null, createdAt: '2026-01-01T00:00:00.000Z', startedAt: '2026-01-01T00:00:01.000Z', finishedAt: null,
    };
  }

  /** The pid of a process that has exited. */
  function deadPid(): number {
    return spawnSync(process.execPath, ['-e', '0']).pid!;
  }

  it('refuses a journal that another live process owns', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeJournal({ pid: other.pid! }, []);
      await expect(openQueue()).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining(`in use by another Lacuna process (pid ${other.pid}`) });
    } finally {
      other.kill();
    }
  });

  it('takes over a journal whose owner pid is alive but silent (a pid reused after a crash)', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeJournal({ pid: other.pid! }, [runningRecord(null)]);
      const old = new Date(Date.now() - 10 * 60_000);
      utimesSync(join(tmp.dir, 'data', JOURNAL_FILE), old, old);
      const q = await openQueue();
      expect(q.get('job-crashed').state).toBe('interrupted');
    } finally {
      other.kill();
    }
  });

  it('brings back a job that crashed after its file was placed as done, saying where the file is', async () => {
    const file = join(outDir(), 'shot.txt');
    mkdirSync(jobTempDir(outDir(), 'job-crashed'), { recursive: true });
    writeFileSync(file, 'rendered');
    writeJournal({ pid: deadPid() }, [runningRecord({ takeFile: file, params: { engine: 'cpu-step' }, sourceStart: 0 })]);
    const q = await openQueue();
    expect(q.get('job-crashed')).toMatchObject({
      state: 'done',
      etaSeconds: null,
      note: `Lacuna stopped before the render was added to its project; the file is at ${file}`,
    });
    expect(existsSync(jobTempDir(outDir(), 'job-crashed'))).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('rendered');
  });

  it('keeps a crashed job of a kind this install lacks, saying it cannot run it', async () => {
    writeJournal({ pid: deadPid() }, [{ ...runningRecord(null), kind: 'lgvi' }]);
    const q = await openQueue();
    expect(q.get('job-crashed')).toMatchObject({ state: 'interrupted', error: { hint: 'This install has no "lgvi" jobs, so it cannot be run again here.' } });
    expect(() => q.retry('job-crashed')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });
});

import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmitEvent, EventName, EventPayload } from '../../src/api/contract';
import { JobKindSchema, JobProgressSchema, JobSchema, type JobDto } from '../../src/api/schemas/jobs';
import { appendClip } from '../../src/engine/app/clipPlacement';
import { JobsController } from '../../src/engine/app/jobsController';
import { importMedia } from '../../src/engine/app/mediaImport';
import { ProjectSession } from '../../src/engine/app/projectSession';
import { jobTempDir } from '../../src/engine/jobs';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../src/engine/media/probe';
import { makeClip, tempDir } from '../app/fixtures';

/*
 * The app's adapter over the queue with the real transcode job: real clips made by ffmpeg,
 * real probe and hashing, real project edits. Every event and reply is checked against the
 * API schemas the renderer validates with.
 */

let media: ReturnType<typeof tempDir>;
let shortClip: string;
let longClip: string;
beforeAll(() => {
  media = tempDir('lacuna-jobs-media-');
  shortClip = makeClip(join(media.dir, 'A001_C002 interview.mp4'), { seconds: 2 });
  longClip = makeClip(join(media.dir, 'B002 long take.mp4'), { seconds: 30, size: '640x360' });
});
afterAll(() => media.cleanup());

let tmp: ReturnType<typeof tempDir>;
let events: { name: EventName; payload: unknown; at: number }[];
let controller: JobsController;
let session: ProjectSession;

const emit: EmitEvent = <N extends EventName>(name: N, payload: EventPayload<N>) => {
  events.push({ name, payload, at: performance.now() });
};

async function openController(): Promise<JobsController> {
  const c = await JobsController.create({ dataDir: join(tmp.dir, 'data'), ffmpeg: ffmpegPaths, emit });
  session = new ProjectSession(() => {});
  return c.attach(session);
}

/** A new project holding `file` as one clip; returns the clip id. */
async function projectWithClip(file: string): Promise<string> {
  session.newProject('Interview', true);
  const project = session.require();
  const { imported, failed } = await importMedia(project, [file], (p) => probeMedia(p));
  expect(failed).toEqual([]);
  return appendClip(project, imported[0].id).id;
}

function finished(jobId: string): Promise<JobDto> {
  return new Promise((resolve) => {
    const check = () => {
      const hit = events.find((e) => e.name === 'jobs.state' && (e.payload as JobDto).id === jobId && ['done', 'failed', 'cancelled'].includes((e.payload as JobDto).state));
      if (hit) resolve(hit.payload as JobDto);
      else setTimeout(check, 20);
    };
    check();
  });
}

function firstProgress(jobId: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (events.some((e) => e.name === 'jobs.progress' && (e.payload as { jobId: string }).jobId === jobId && (e.payload as { progress: number | null }).progress) ? resolve() : setTimeout(check, 10));
    check();
  });
}

beforeEach(async () => {
  tmp = tempDir('lacuna-jobs-ctl-');
  events = [];
  controller = await openController();
});
afterEach(async () => {
  await controller.dispose();
  tmp.cleanup();
});

describe('JobsController', () => {
  it('offers the transcode job and no removal engine, and refuses removal requests plainly', async () => {
    const kinds = controller.kinds();
    expect(kinds.map((k) => JobKindSchema.parse(k))).toEqual([expect.objectContaining({ kind: 'transcode', label: 'Transcode', category: 'utility' })]);
    expect(kinds.filter((k) => k.category === 'removal')).toEqual([]);
    const clipId = await projectWithClip(shortClip);
    expect(() => controller.submit({ kind: 'remove', clipId, expression: 'the man on the left' })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: 'No removal engine is installed' }),
    );
    expect(() => controller.submit({ kind: 'transcode', clipId: 'clip-nope', codec: 'h264' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(controller.list()).toEqual([]);
  });

  it('transcodes a clip end to end and adds the result as a new take in one undo step', async () => {
    const clipId = await projectWithClip(shortClip);
    const project = session.require();
    const submitted = controller.submit({ kind: 'transcode', clipId, codec: 'prores_hq' });
    expect(JobSchema.parse(submitted)).toMatchObject({ kind: 'transcode', label: 'Transcode A001_C002 interview.mp4 to ProRes 422 HQ', clipId });
    expect(controller.activeCount()).toBe(1);
    const done = await finished(submitted.id);
    expect(done).toMatchObject({ state: 'done', progress: 1, error: null, resultTakeId: expect.any(String) });

    // Every event is what the renderer's schemas accept.
    for (const e of events) (e.name === 'jobs.state' ? JobSchema : JobProgressSchema).parse(e.payload);
    const progress = events.filter((e) => e.name === 'jobs.progress').map((e) => e.payload as { progress: number | null; message: string | null });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((p) => p.message === 'encoding' && p.progress! > 0 && p.progress! < 1)).toBe(true);

    const clip = project.getClip(clipId);
    expect(clip.takes).toHaveLength(2);
    expect(clip.activeTakeId).toBe(done.resultTakeId);
    const take = project.getTake(clipId, done.resultTakeId!);
    expect(take).toMatchObject({ kind: 'generated', label: 'Take 1', sourceStart: 0, jobId: submitted.id, params: { engine: 'transcode', extra: { codec: 'prores_hq' } } });
    const rendered = project.getMedia(take.mediaId);
    expect(rendered.path).toBe(join(tmp.dir, 'data', 'renders', 'A001_C002 interview.mp4 - Transcode ProRes 422 HQ - Take 1.mov'));
    expect(rendered.probe.video).toMatchObject({ codec: 'prores', frameCount: 48, width: 320, height: 180 });
    expect(readdirSync(join(tmp.dir, 'data', 'renders'))).toEqual(['A001_C002 interview.mp4 - Transcode ProRes 422 HQ - Take 1.mov']);

    // One undo step takes back both the media entry and the take; redo restores both.
    expect(project.history.undoLabel).toBe('Add Take');
    project.undo();
    expect(project.getClip(clipId).takes).toHaveLength(1);
    expect(project.findMedia(rendered.id)).toBeUndefined();
    project.redo();
    expect(project.getClip(clipId).activeTakeId).toBe(done.resultTakeId);
    expect(project.findMedia(rendered.id)).toBeDefined();
    expect(controller.list().map((j) => JobSchema.parse(j))).toEqual([done]);
  });

  it('transcodes an image sequence clip (frame numbers with gaps) into a take of the same rate', async () => {
    session.newProject('Birds', true);
    const project = session.require();
    const probe = (p: string) => probeMedia(p, { fps: { num: 12, den: 1 } });
    const { imported } = await importMedia(project, ['/work/shared/fixtures/two-birds'], probe);
    const clipId = appendClip(project, imported[0].id).id;
    const job = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    const done = await finished(job.id);
    expect(done).toMatchObject({ state: 'done', error: null });
    const take = project.activeTake(clipId);
    expect(take.id).toBe(done.resultTakeId);
    expect(project.getMedia(take.mediaId).probe.video).toMatchObject({ codec: 'h264', frameCount: 18, fps: { num: 12, den: 1 }, width: 568, height: 320 });
  });

  it('keeps the render when its project is closed mid-job, and adds it when the project is opened again', async () => {
    const clipId = await projectWithClip(shortClip);
    mkdirSync(join(tmp.dir, 'proj'));
    const projectPath = join(tmp.dir, 'proj', 'Interview.lacuna');
    await session.saveAs(projectPath);
    const projectId = session.require().doc.id;
    const job = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    session.close(true);
    const done = await finished(job.id);
    const file = join(tmp.dir, 'proj', 'Interview Renders', 'A001_C002 interview.mp4 - Transcode H.264 - Take 1.mp4');
    expect(done).toMatchObject({ state: 'done', resultTakeId: null, message: expect.stringContaining(`the render is kept at ${file}`) });
    expect(existsSync(file)).toBe(true);

    await session.open(projectPath, false);
    expect(session.require().doc.id).toBe(projectId);
    controller.projectOpened();
    await expect.poll(() => controller.list()[0].resultTakeId, { timeout: 10_000 }).not.toBeNull();
    const project = session.require();
    const take = project.activeTake(clipId);
    expect(take.id).toBe(controller.list()[0].resultTakeId);
    expect(project.getMedia(take.mediaId).path).toBe(file);
    expect(project.dirty).toBe(true);
  });

  it('fails with the media error, code, message and hint intact, when the source went offline', async () => {
    const copy = join(tmp.dir, 'offline.mp4');
    copyFileSync(shortClip, copy);
    const clipId = await projectWithClip(copy);
    rmSync(copy);
    const job = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    const failed = await finished(job.id);
    expect(JobSchema.parse(failed)).toMatchObject({ state: 'failed', resultTakeId: null, error: { code: 'MEDIA_NOT_FOUND', message: expect.stringContaining(copy), hint: expect.stringContaining('relink') } });
    expect(readdirSync(join(tmp.dir, 'data', 'renders'))).toEqual([]);
  });

  it('keeps the render when its clip is removed mid-job', async () => {
    const clipId = await projectWithClip(shortClip);
    const job = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    session.require().removeClip(clipId);
    const done = await finished(job.id);
    expect(done.state).toBe('done');
    expect(done.message).toMatch(/^Its clip was removed from the project before the job finished; the render is kept at .*Take 1\.mp4\.$/);
    expect(session.require().doc.media).toHaveLength(1);
  });

  it('cancels a running transcode within a frame, leaving no scratch or output files, and retries it', async () => {
    const clipId = await projectWithClip(longClip);
    const job = controller.submit({ kind: 'transcode', clipId, codec: 'prores_hq' });
    await firstProgress(job.id);
    const renders = join(tmp.dir, 'data', 'renders');
    expect(existsSync(jobTempDir(renders, job.id))).toBe(true);
    let reportsAfterCancel = 0;
    controller.queue.on((e) => e.type === 'progress' && e.job.stage === 'encoding' && reportsAfterCancel++);
    controller.cancel(job.id);
    const cancelled = await finished(job.id);
    // At most the frame already in the encoder when the cancel came.
    expect(reportsAfterCancel).toBeLessThanOrEqual(1);
    expect(cancelled).toMatchObject({ state: 'cancelled', error: null, resultTakeId: null });
    expect(readdirSync(renders)).toEqual([]);
    expect(session.require().getClip(clipId).takes).toHaveLength(1);

    // Progress reached the UI at most about ten times a second.
    const times = events.filter((e) => e.name === 'jobs.progress').map((e) => e.at);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(90);

    const retried = controller.retry(job.id);
    expect(JobSchema.parse(retried)).toMatchObject({ id: job.id, state: 'running', error: null });
    controller.cancel(job.id);
  });

  it('names each render after the take it becomes, when renders of one clip overlap and one is retried later', async () => {
    const clipId = await projectWithClip(shortClip);
    const project = session.require();
    // A is cancelled, so B and C, queued together, are the first two takes; A retried is the third.
    const a = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    controller.cancel(a.id);
    await finished(a.id);
    const b = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    const c = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    await Promise.all([finished(b.id), finished(c.id)]);
    controller.retry(a.id);
    await expect.poll(() => controller.list().find((j) => j.id === a.id)?.state, { timeout: 30_000 }).toBe('done');
    await expect.poll(() => project.getClip(clipId).takes.length).toBe(4);
    const takes = project.getClip(clipId).takes.filter((t) => t.kind === 'generated');
    const byJob = Object.fromEntries(takes.map((t) => [t.jobId, { label: t.label, file: basename(project.getMedia(t.mediaId).path) }]));
    const name = (n: number) => `A001_C002 interview.mp4 - Transcode H.264 - Take ${n}.mp4`;
    expect(byJob).toEqual({
      [b.id]: { label: 'Take 1', file: name(1) },
      [c.id]: { label: 'Take 2', file: name(2) },
      [a.id]: { label: 'Take 3', file: name(3) },
    });
    // A deleted take's number is not given again: the next render is Take 4.
    project.deleteTake(clipId, takes.find((t) => t.jobId === b.id)!.id);
    const d = controller.submit({ kind: 'transcode', clipId, codec: 'h264' });
    const done = await finished(d.id);
    expect(project.getTake(clipId, done.resultTakeId!).label).toBe('Take 4');
    expect(basename(project.getMedia(project.getTake(clipId, done.resultTakeId!).mediaId).path)).toBe(name(4));
  });

  it('lists jobs interrupted by quitting as interrupted, saying what Retry will do', async () => {
    const clipId = await projectWithClip(longClip);
    const job = controller.submit({ kind: 'transcode', clipId, codec: 'prores_hq' });
    await firstProgress(job.id);
    await controller.dispose();
    controller = await openController();
    const [dto] = controller.list();
    expect(JobSchema.parse(dto)).toMatchObject({
      id: job.id,
      state: 'interrupted',
      error: {
        code: 'CANCELLED',
        message: 'Lacuna quit before this job finished',
        hint: 'Retry transcodes it again from the first frame: a transcode cannot continue where it stopped.',
      },
    });
    expect(readdirSync(join(tmp.dir, 'data', 'renders'))).toEqual([]);
  });
});

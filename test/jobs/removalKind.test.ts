import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendClip } from '../../src/engine/app/clipPlacement';
import { importMedia } from '../../src/engine/app/mediaImport';
import { JobQueue, writeTakeBack } from '../../src/engine/jobs';
import { submitClipJob } from '../../src/engine/jobs/clipJob';
import { installedJobKinds } from '../../src/engine/jobs/kinds';
import { decodeFrames } from '../../src/engine/media/decode';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../src/engine/media/probe';
import { Project } from '../../src/engine/project';
import { makeClip, tempDir } from '../app/fixtures';
import type { RemovalEngine } from '../../src/engine/removal/removalEngine';
import { greyOutEngine } from './greyOutEngine';

/** A matte clip: black, with a white square in the left half when `square` (ffmpeg's own sources). */
function makeMatte(path: string, square: boolean): string {
  const draw = square ? ',drawbox=x=20:y=20:w=60:h=60:color=white:t=fill' : '';
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `color=black:size=320x180:rate=24:duration=1${draw}`, '-c:v', 'ffv1', '-pix_fmt', 'gray', path]);
  return path;
}

let tmp: ReturnType<typeof tempDir>;
let queue: JobQueue;
let project: Project;
let clipId: string;

beforeEach(async () => {
  tmp = tempDir('lacuna-removal-kind-');
  project = Project.create({ name: 'Removal' });
  const { imported } = await importMedia(project, [makeClip(join(tmp.dir, 'shot.mp4'), { seconds: 1 })], (p) => probeMedia(p));
  clipId = appendClip(project, imported[0].id).id;
  queue = await JobQueue.open({
    dataDir: join(tmp.dir, 'data'),
    kinds: installedJobKinds([greyOutEngine]),
    ffmpeg: ffmpegPaths,
    complete: async (job, result) => {
      const { mediaIds: _ids, ...outcome } = await writeTakeBack(job, result, () => project, (p) => probeMedia(p));
      return outcome;
    },
  });
});
afterEach(async () => {
  await queue.dispose();
  tmp.cleanup();
});

function submit(target: Record<string, unknown>) {
  return submitClipJob(queue, project, { kind: 'grey-out', clipId, params: { target, settings: { seed: 7 } }, what: 'Remove', dataDir: join(tmp.dir, 'data') });
}

describe('removal job kind', () => {
  it('is listed as a removal kind with its engine’s resource class', () => {
    const kind = queue.kinds().find((k) => k.id === 'grey-out')!;
    expect(kind).toMatchObject({ category: 'removal', resource: 'cpu', label: 'Grey out' });
  });

  it("renders the engine's output as the clip's new active take, with the engine's params and summary", async () => {
    const job = submit({ kind: 'mask', matte: makeMatte(join(tmp.dir, 'matte.mkv'), true) });
    expect(job.label).toBe('Remove by matte · shot.mp4 (Grey out)');
    const done = await queue.whenFinished(job.id);
    expect(done.state, JSON.stringify(done.error)).toBe('done');
    expect(done.note).toBe('greyed 86400 matted pixels');
    const take = project.activeTake(clipId);
    expect(take).toMatchObject({ kind: 'generated', params: { engine: 'grey-out', extra: { covered: 86400 } } });
    // Inside the square the picture is grey; the take covers the clip's 24 frames.
    const info = await probeMedia(done.result!.takeFile);
    expect(info.video?.frameCount).toBe(24);
    const first = await decodeFrames(info, { range: { start: 0, end: 1 } }).next();
    const px = (x: number, y: number): number[] => Array.from(first.value!.data.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3));
    for (const v of px(50, 50)) expect(Math.abs(v - 128)).toBeLessThan(6);
  });

  it('finishes without a take, saying why, when there is nothing to remove', async () => {
    const takesBefore = project.getClip(clipId).takes.length;
    const job = submit({ kind: 'mask', matte: makeMatte(join(tmp.dir, 'black.mkv'), false) });
    const done = await queue.whenFinished(job.id);
    expect(done.state).toBe('done');
    expect(done.result).toBeNull();
    expect(done.note).toBe('the matte is black: nothing to remove');
    expect(project.getClip(clipId).takes).toHaveLength(takesBefore);
  });

  it('refuses a target the engine does not take, before any work', async () => {
    const job = submit({ kind: 'expression', text: 'remove the bird on the left' });
    const done = await queue.whenFinished(job.id);
    expect(done.state).toBe('failed');
    expect(done.error).toMatchObject({ code: 'UNSUPPORTED', message: 'Grey out cannot remove by expression' });
  });

  it('runs several packs of one engine as one kind, each job on the pack it names', async () => {
    // Two "packs" of the grey-out engine: same id, different folders, told apart by their params.
    const packed = (dir: string): RemovalEngine => ({
      ...greyOutEngine,
      packDir: join(tmp.dir, dir),
      remove: async (input, ctx) => ({ ...(await greyOutEngine.remove(input, ctx)), params: { engine: 'grey-out', extra: { pack: dir } } }),
    });
    const kinds = installedJobKinds([packed('pack-a'), packed('pack-b')]);
    expect(kinds.filter((k) => k.id === 'grey-out')).toHaveLength(1);
    const packs = await JobQueue.open({ dataDir: join(tmp.dir, 'packs-data'), kinds, ffmpeg: ffmpegPaths });
    try {
      const matte = makeMatte(join(tmp.dir, 'pack-matte.mkv'), true);
      const run = async (pack?: string) => {
        const job = submitClipJob(packs, project, { kind: 'grey-out', clipId, params: { target: { kind: 'mask', matte }, ...(pack && { pack }) }, what: 'Remove', dataDir: join(tmp.dir, 'packs-data') });
        return packs.whenFinished(job.id);
      };
      expect((await run(join(tmp.dir, 'pack-b'))).result?.params.extra).toEqual({ pack: 'pack-b' });
      // No pack named: the first installed one (the default).
      expect((await run()).result?.params.extra).toEqual({ pack: 'pack-a' });
      expect((await run(join(tmp.dir, 'gone'))).error).toMatchObject({ code: 'MODEL_PACK_NOT_FOUND', message: expect.stringMatching(/is no longer installed/) });
    } finally {
      await packs.dispose();
    }
  });

  it('rejects bad params at submit', () => {
    expect(() => submit({ kind: 'expression', text: '   ' })).toThrow();
  });
});

describe('removal requests from the app', () => {
  it('go to the engine asked for (or the first installed), whose kind is listed for the Remove dialog', async () => {
    const { JobsController } = await import('../../src/engine/app/jobsController');
    const { ProjectSession } = await import('../../src/engine/app/projectSession');
    const controller = await JobsController.create({ dataDir: join(tmp.dir, 'app-data'), ffmpeg: ffmpegPaths, emit: () => {}, engines: [greyOutEngine] });
    try {
      const session = new ProjectSession(() => {});
      controller.attach(session);
      session.newProject('App', true);
      const p = session.require();
      const { imported } = await importMedia(p, [join(tmp.dir, 'shot.mp4')], (f) => probeMedia(f));
      const clip = appendClip(p, imported[0].id).id;
      expect(controller.kinds().filter((k) => k.category === 'removal').map((k) => k.kind)).toEqual(['grey-out']);
      const job = controller.submit({ kind: 'remove', clipId: clip, expression: 'the bird on the left' });
      expect(job).toMatchObject({ kind: 'grey-out', label: 'Remove the bird on the left · shot.mp4 (Grey out)' });
      const done = await controller.queue.whenFinished(job.id);
      // This engine takes mattes only: it says so instead of guessing.
      expect(done.error?.code).toBe('UNSUPPORTED');
      expect(() => controller.submit({ kind: 'remove', clipId: clip, expression: 'x', engine: 'lgvi' })).toThrow('the removal engine "lgvi" is not installed');
    } finally {
      await controller.dispose();
    }
  });
});

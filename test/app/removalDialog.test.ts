import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobRequestSchema, JobSchema } from '../../src/api/schemas/jobs';
import { RemovalPlanSchema } from '../../src/api/schemas/removalPlan';
import { appendClip } from '../../src/engine/app/clipPlacement';
import { guiWording } from '../../src/engine/app/guiWording';
import { growBoxes, JobsController } from '../../src/engine/app/jobsController';
import { importMedia } from '../../src/engine/app/mediaImport';
import { ProjectSession } from '../../src/engine/app/projectSession';
import { removalPlan } from '../../src/engine/app/removalPlan';
import { SCHEDULER_CLASS_NAMES } from '../../src/engine/lgvi/schedulers/scheduler';
import { estimateUnetPeak, packWeightBytes } from '../../src/engine/lgvi/pack/memoryEstimate';
import { createLgviEngine } from '../../src/engine/lgvi/lgviEngine';
import { createLiteEngine } from '../../src/engine/lite/liteEngine';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../src/engine/media/probe';
import { SMALL_WORKING, writeTinyRandomPack, type FixturePack } from '../helpers/fixturePacks';
import { greyOutEngine } from '../jobs/greyOutEngine';
import { writeLgviIFixturePack } from '../helpers/lgviIPack';
import { packRemovalEngines } from '../../src/engine/removal/installedEngines';
import { makeClip, tempDir } from './fixtures';

/*
 * The Remove dialog's engine side: removal.plan (frames, starting take, the engine's fields with
 * the pack's defaults, the schedulers the engine has, composites, window memory, refusals as
 * sentences), the pack choice, the range / starting take / matte a removal request carries, and
 * how picks from a Find preview bound an engine without a Find of its own (LGVI). Real clips,
 * real generated packs, the real queue.
 */

let media: ReturnType<typeof tempDir>;
let clipFile: string;
let packA: FixturePack;
let packB: FixturePack;
beforeAll(async () => {
  media = tempDir('lacuna-rdlg-media-');
  clipFile = makeClip(join(media.dir, 'plate.mp4'), { seconds: 2, fps: '25' });
  packA = await writeTinyRandomPack({ working: SMALL_WORKING, name: 'Pack A', id: 'pack-a' });
  packB = await writeTinyRandomPack({ working: SMALL_WORKING, name: 'Pack B', id: 'pack-b' });
}, 120_000);
afterAll(async () => {
  media.cleanup();
  await packA?.cleanup();
  await packB?.cleanup();
});

let tmp: ReturnType<typeof tempDir>;
let controller: JobsController;
let session: ProjectSession;
let clipId: string;

beforeEach(async () => {
  tmp = tempDir('lacuna-rdlg-');
  const engines = [createLgviEngine({ packDir: packA.dir, providers: 'cpu' }), createLgviEngine({ packDir: packB.dir, providers: 'cpu' }), createLiteEngine(), greyOutEngine];
  controller = await JobsController.create({ dataDir: join(tmp.dir, 'data'), ffmpeg: ffmpegPaths, emit: () => {}, engines });
  session = new ProjectSession(() => {});
  controller.attach(session);
  session.newProject('Plates', true);
  const project = session.require();
  const { imported } = await importMedia(project, [clipFile], (p) => probeMedia(p));
  clipId = appendClip(project, imported[0].id).id;
  // The clip uses frames 10..40 of the 50-frame plate.
  project.trimClip(clipId, { sourceIn: 10, sourceOut: 40 });
});
afterEach(async () => {
  await controller.dispose();
  tmp.cleanup();
});

const plan = (request: Parameters<typeof removalPlan>[2]) => removalPlan(session.require(), controller, request).then((p) => RemovalPlanSchema.parse(p));

describe('removal.plan', () => {
  it("states LGVI's settings with the pack's defaults, the engine's schedulers, the composites and the memory of one window", async () => {
    const p = await plan({ clipId, engine: 'lgvi' });
    expect(p.problem).toBeNull();
    const field = (k: string) => p.fields.find((f) => f.key === k)!;
    expect(field('steps').value).toBe(packA.manifest.defaults.steps);
    expect(field('guidance').value).toBe(packA.manifest.defaults.guidanceScale);
    expect(field('imageGuidance').value).toBe(packA.manifest.defaults.imageGuidanceScale);
    expect(field('window').value).toBe(SMALL_WORKING.frames);
    expect(field('overlap').max).toBe(SMALL_WORKING.frames - 1);
    // The schedulers are the engine's own list, not one the dialog keeps.
    expect(field('scheduler').options!.map((o) => o.value)).toEqual([...SCHEDULER_CLASS_NAMES]);
    expect(p.composites.map((c) => c.value)).toEqual(['union', 'head', 'difference', 'full']);
    expect(p.composites.every((c) => c.explanation.length > 20)).toBe(true);
    expect(p.composite).toBe('union');
    expect(p.memory[0]).toMatch(/^fp32, 64x40, 4 frames: batched guidance ~\d+ MB \(separate passes ~\d+ MB\)$/);
    expect(field('guidanceBatch').options!.map((o) => o.value)).toEqual(['together', 'separate']);
    // The memory follows the window asked for, and separate passes when chosen.
    const wider = await plan({ clipId, engine: 'lgvi', engineSettings: { window: 8, guidanceBatch: 'separate' } });
    expect(wider.memory[0]).toMatch(/^fp32, 64x40, 8 frames: separate passes/);
    expect(p.find).toEqual({ available: true, note: expect.stringMatching(/Find previews the words with Lite's detector; LGVI still makes its own mask, and the picked objects bound it/) });
  });

  it('returns a setting LGVI refuses as a sentence, with the fields still at their defaults', async () => {
    const p = await plan({ clipId, engine: 'lgvi', engineSettings: { steps: 0, scheduler: 'KarrasScheduler' } });
    // Named as the fields are labelled, without the command line's list of setting keys.
    expect(p.problem).toMatch(/^LGVI settings are not valid: Steps: .*Scheduler: .*\.$/);
    expect(p.problem).not.toMatch(/--|imageGuidance|guidanceBatch/);
    expect(p.fields.find((f) => f.key === 'steps')!.value).toBe(packA.manifest.defaults.steps);
    await expect(controller.submitChecked({ kind: 'remove', clipId, expression: 'the bird', engine: 'lgvi', engineSettings: { steps: 0 } })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    expect(controller.list()).toEqual([]);
  });

  it("says what the job's memory plan will do on this machine's device: fits, separate passes, shorter windows, or the fallbacks", async () => {
    const manifest = packA.manifest;
    const base = { latentHeight: SMALL_WORKING.height / 8, latentWidth: SMALL_WORKING.width / 8, bytesPerValue: 4, weightBytes: packWeightBytes(manifest, 'fp32') } as const;
    const peak = (frames: number, batch: number) => estimateUnetPeak({ ...base, frames, batch }).peak;
    // The engine with a device whose free memory the test sets (as the job's plan reads it).
    const planWith = async (free: number | null, engineSettings: Record<string, number | string> = {}) => {
      const engine = createLgviEngine({ packDir: packA.dir, providers: 'cpu', freeMemory: async () => free });
      const form = await engine.settingsForm!(engineSettings);
      return RemovalPlanSchema.shape.memoryPlan.parse(form.memoryPlan);
    };
    const frames = SMALL_WORKING.frames;
    const roomy = await planWith(peak(frames, 3) + 1);
    expect(roomy).toMatchObject({ device: 'CPU', precision: 'fp32', fits: true, decision: expect.stringMatching(/^On CPU \(fp32, \d+ MB free\): it fits — batched guidance needs about/) });
    const separate = await planWith(peak(frames, 1) + 1);
    expect(separate).toMatchObject({ fits: true, decision: expect.stringMatching(/: the guidance passes run one at a time, because batched guidance needs about .* over the .* free/) });
    const shorter = await planWith(peak(2, 1) + 1);
    expect(shorter?.decision).toMatch(/the guidance passes run one at a time and windows shrink to 2 frames/);
    // A window the editor chose is kept, and the plan says it may not fit and what happens then.
    const kept = await planWith(peak(2, 1) + 1, { window: frames });
    expect(kept).toMatchObject({ fits: false, decision: expect.stringMatching(/If it still runs out of memory, the guidance passes run one at a time, and as a last resort the model moves to the CPU\.$/) });
    const chosenBatch = await planWith(peak(frames, 1) + 1, { guidanceBatch: 'together' });
    expect(chosenBatch).toMatchObject({ fits: false, decision: expect.stringMatching(/batched guidance was chosen and is kept, though/) });
    expect(await planWith(null)).toMatchObject({ freeBytes: null, decision: expect.stringMatching(/^CPU does not say how much memory is free, so the job runs as set/) });
    // removal.plan carries it to the dialog.
    expect((await plan({ clipId, engine: 'lgvi' })).memoryPlan).toMatchObject({ device: 'CPU', decision: expect.stringMatching(/^On CPU|^CPU does not say/) });
    expect((await plan({ clipId, engine: 'lite' })).memoryPlan).toBeNull();
  });

  it('offers LGVI-I where a pack has its interactive part, with the same settings, memory plan and Find note', async () => {
    const dir = join(tmp.dir, 'pack-i');
    mkdirSync(dir);
    const packI = await writeTinyRandomPack({ working: SMALL_WORKING, dir, name: 'Pack I', id: 'pack-i', textLength: 'any' });
    await writeLgviIFixturePack(dir, { scripted: true });
    controller.setEngines([...controller.engines, ...packRemovalEngines([packI.dir], { providers: 'cpu' })]);
    expect(controller.kinds().map((k) => k.kind)).toContain('lgvi-i');
    const p = await plan({ clipId, engine: 'lgvi-i' });
    expect(p).toMatchObject({ engine: 'lgvi-i', pack: packI.dir, problem: null });
    expect(p.fields.map((f) => f.key)).toEqual(expect.arrayContaining(['steps', 'guidance', 'scheduler', 'window', 'overlap']));
    expect(p.memoryPlan?.decision).toMatch(/^On CPU|^CPU does not say/);
    expect(p.find.note).toMatch(/LGVI-I still makes its own mask/);
  });

  it("offers Lite's working size, and no composites or memory", async () => {
    const p = await plan({ clipId, engine: 'lite', engineSettings: { workingSide: 640 } });
    expect(p.fields).toEqual([expect.objectContaining({ key: 'workingSide', value: 640, min: 128, max: 4096 })]);
    expect(p.composites).toEqual([]);
    expect(p.composite).toBeNull();
    expect(p.memory).toEqual([]);
    expect((await plan({ clipId, engine: 'lite', engineSettings: { workingSide: 50 } })).problem).toMatch(/^Invalid Lite engine settings: Working size \(px\): /);
  });

  it('lists both packs and picks the one asked for', async () => {
    const a = await plan({ clipId, engine: 'lgvi' });
    expect(a.packs.map((p) => p.dir)).toEqual([packA.dir, packB.dir]);
    expect(a.pack).toBe(packA.dir);
    expect((await plan({ clipId, engine: 'lgvi', pack: packB.dir })).pack).toBe(packB.dir);
    await expect(plan({ clipId, engine: 'lgvi', pack: join(tmp.dir, 'nowhere') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const job = controller.submit({ kind: 'remove', clipId, expression: 'the bird', engine: 'lgvi', pack: packB.dir });
    expect(controller.queue.get(job.id)!.kind).toBe('lgvi');
    // The job names its pack: the one kind "lgvi" runs it on pack B (jobs/kinds/removal.ts).
    expect((controller.queue.get(job.id)!.params as { pack?: string }).pack).toBe(packB.dir);
    expect(controller.kinds().filter((k) => k.kind === 'lgvi')).toHaveLength(1);
  });

  it('says which frames render, from which take, for the clip, marked In/Out and the whole source', async () => {
    const clip = await plan({ clipId, engine: 'lite' });
    expect(clip.range).toEqual({ start: 10, end: 40, frames: 30, fps: { num: 25, den: 1 }, kind: 'clip' });
    expect(clip.startsFrom).toMatchObject({ label: 'Original', kind: 'active' });
    expect(clip.rangeNote).toBeNull();
    const marked = await plan({ clipId, engine: 'lite', range: { kind: 'marked', start: 15, end: 20 } });
    expect(marked.range).toMatchObject({ start: 15, end: 20, frames: 5 });
    expect(marked.rangeNote).toMatch(/do not cover the whole clip/);
    const whole = await plan({ clipId, engine: 'lite', range: { kind: 'source' }, startFrom: 'original' });
    expect(whole.range).toMatchObject({ start: 0, end: 50, frames: 50 });
    expect(whole.startsFrom.kind).toBe('original');
    await expect(plan({ clipId, range: { kind: 'marked', start: 40, end: 60 } })).rejects.toMatchObject({ code: 'BAD_RANGE', message: expect.stringMatching(/marked In\/Out \(frames 40–59\) reach beyond/) });
  });
});

describe('a removal request from the dialog', () => {
  it('queues exactly the marked frames, aligned to the original by sourceStart (as `remove -r` hands the engine its range)', () => {
    const job = controller.submit({ kind: 'remove', clipId, expression: 'the bird', engine: 'lite', range: { kind: 'marked', start: 15, end: 20 } });
    const params = controller.queue.get(job.id)!.params as { range: unknown; sourceStart: number };
    expect(params.range).toEqual({ start: 15, end: 20 });
    expect(params.sourceStart).toBe(15);
  });

  it('takes a matte instead of words where the engine can, and says so in words where it cannot', () => {
    const matte = join(media.dir, 'matte.mov');
    const job = controller.submit({ kind: 'remove', clipId, expression: '', matte: { path: matte }, engine: 'grey-out' });
    const params = controller.queue.get(job.id)!.params as { target: unknown; settings: { maskDilate: number } };
    expect(params.target).toEqual({ kind: 'mask', matte });
    expect(params.settings.maskDilate).toBe(0);
    expect(JobSchema.parse(job).label).toMatch(/^Remove by matte/);
    expect(() => controller.submit({ kind: 'remove', clipId, expression: '', matte: { path: matte }, engine: 'lgvi' })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', message: 'LGVI removes by words, not by a matte', hint: 'Choose the Lite engine to remove exactly what the matte shows.' }),
    );
    // The API refuses neither words nor matte, and both at once.
    expect(JobRequestSchema.safeParse({ kind: 'remove', clipId, expression: ' ' }).success).toBe(false);
    expect(JobRequestSchema.safeParse({ kind: 'remove', clipId, expression: 'the bird', matte: { path: matte } }).success).toBe(false);
  });

  it("bounds LGVI by the picks of a Find on the same frames, grown by the mask's grow and feather", () => {
    const asked = { kind: 'remove' as const, clipId, expression: 'the bird on the left', engine: 'lgvi', tracks: [2], maskDilate: 4, maskFeather: 1 };
    expect(() => controller.submit(asked)).toThrow(expect.objectContaining({ message: 'The picked objects come from a Find on other frames or another take' }));
    const take = session.require().activeTake(clipId);
    const box = (x: number) => ({ x, y: 10, width: 20, height: 30 });
    controller.rememberFind(clipId, {
      takeId: take.id,
      rangeStart: 10,
      frames: 30,
      objects: [
        { id: 1, boxes: Array.from({ length: 30 }, () => box(100)) },
        { id: 2, boxes: Array.from({ length: 30 }, (_, f) => (f === 3 ? null : box(5))) },
      ],
    });
    const job = controller.submit(asked);
    const target = (controller.queue.get(job.id)!.params as { target: { bounds: unknown[][] } }).target;
    expect(target.bounds).toHaveLength(30);
    expect(target.bounds[0]).toEqual([{ x: 0, y: 5, width: 30, height: 40 }]);
    expect(target.bounds[3]).toEqual([]);
    // A Find over other frames does not bound this render.
    expect(() => controller.submit({ ...asked, range: { kind: 'source' } })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
    expect(() => controller.submit({ ...asked, composite: 'full' })).toThrow(expect.objectContaining({ message: expect.stringMatching(/^Full frame regenerates every pixel/) }));
  });

  it('grows boxes per frame and keeps frames without a box empty', () => {
    const objects = [{ id: 7, boxes: [{ x: 10, y: 10, width: 5, height: 5 }, null] }];
    expect(growBoxes(objects, [7], 2)).toEqual([[{ x: 8, y: 8, width: 9, height: 9 }], []]);
    expect(growBoxes(objects, [], 2)).toEqual([[], []]);
  });
});

describe('engine errors in the app', () => {
  it('speak of the app’s controls, not command-line options', () => {
    const lite = guiWording({ code: 'BAD_ARGUMENT', message: 'Lite cannot find “the giraffe”', hint: 'Describe the object as one of those (e.g. "the dog"), or draw a matte and pass it with --mask.' });
    expect(lite.hint).toBe('Describe the object as one of those (e.g. "the dog"), or choose a matte file in the Remove panel (What to remove: Matte file).');
    const exists = guiWording({ code: 'OUTPUT_EXISTS', message: 'output already exists: /x.mov', hint: 'Choose another name, or allow overwriting (--overwrite).' });
    expect(exists.hint).toBe('Choose another name.');
    expect(guiWording({ code: 'BAD_ARGUMENT', message: 'a', hint: 'Run lacuna doctor --json.' }).hint).toBeUndefined();
    expect(guiWording({ code: 'BAD_ARGUMENT', message: 'the sequence needs --fps' }).message).toBe('the sequence needs the frame rate in the Import dialog');
  });
});

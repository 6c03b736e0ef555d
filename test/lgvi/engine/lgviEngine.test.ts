// The LGVI engine end to end on the two-birds fixture (18 frames, 568x320 JPEG sequence) with
// generated packs on the CPU: output at the source size and length with a matte beside it,
// progress per window, the same bytes for the same seed, nothing left behind on cancel, a clear
// "found nothing" when the mask head marks nothing, and settings validated with the pack's defaults.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLgviEngine, resolveLgviSettings } from '../../../src/engine/lgvi/lgviEngine';
import { toWorkingImage } from '../../../src/engine/lgvi/sampler/workingImage';
import { decodeFrames } from '../../../src/engine/media/decode';
import { probeMedia } from '../../../src/engine/media/probe';
import type { MediaInfo } from '../../../src/engine/media/types';
import type { RemovalContext, RemovalInput } from '../../../src/engine/removal/removalEngine';
import { isLacunaError } from '../../../src/engine/util/errors';
import { ffmpegPaths } from '../../../src/engine/media/ffmpegLocator';
import { SMALL_WORKING, writeAnalyticPack, writeTinyRandomPack, type FixturePack } from '../../helpers/fixturePacks';
import { ffmpeg, withTempDir } from '../../media/mediaFiles';

const TWO_BIRDS = resolve(import.meta.dirname, '../../../../shared/fixtures/two-birds');
const EXPRESSION = 'remove the bird on the left';
/** 2 steps, 4-frame windows overlapping by 1: six windows over 18 frames, fast on the CPU. */
const FAST = { steps: 2, window: 4, overlap: 1 };

interface Events {
  progress: { stage: string; done: number; total: number }[];
  warnings: string[];
}

function context(signal = new AbortController().signal): { ctx: RemovalContext; events: Events } {
  const events: Events = { progress: [], warnings: [] };
  return {
    events,
    ctx: {
      signal,
      progress: (stage, done, total) => events.progress.push({ stage, done, total }),
      warn: (m) => events.warnings.push(m),
      ffmpeg: ffmpegPaths(),
    },
  };
}

function removal(media: MediaInfo, dir: string, overrides: { seed?: number; engine?: Record<string, unknown>; fullFrame?: boolean; name?: string } = {}): RemovalInput {
  const name = overrides.name ?? 'take';
  return {
    media,
    range: { start: 0, end: media.video!.frameCount },
    target: { kind: 'expression', text: EXPRESSION },
    settings: { seed: overrides.seed ?? 1, maskDilate: 4, maskFeather: 2, fullFrame: overrides.fullFrame ?? false, engine: { ...FAST, ...overrides.engine } },
    output: { file: join(dir, `${name}.mov`), codec: 'prores_hq', matteFile: join(dir, `${name}.matte.mov`) },
  };
}

async function frameHashes(media: MediaInfo, pixelFormat: 'rgb24' | 'gray' = 'rgb24'): Promise<string[]> {
  const out: string[] = [];
  for await (const f of decodeFrames(media, { pixelFormat })) out.push(createHash('sha256').update(f.data).digest('hex'));
  return out;
}

let twoBirds: MediaInfo;
beforeAll(async () => {
  twoBirds = await probeMedia(TWO_BIRDS);
});

describe('LGVI engine on two-birds (analytic pack: the mask head marks the bright parts)', () => {
  let pack: FixturePack;
  beforeAll(async () => {
    pack = await writeAnalyticPack({ working: SMALL_WORKING });
  });
  afterAll(async () => pack?.cleanup());

  it('writes a 568x320, 18-frame take and an aligned grey matte, with progress per window', async () => {
    await withTempDir(async (dir) => {
      const engine = createLgviEngine({ packDir: pack.dir, providers: 'cpu' });
      expect(engine).toMatchObject({ id: 'lgvi', resource: 'gpu', targets: ['expression'] });
      const { ctx, events } = context();
      const outcome = await engine.remove(removal(twoBirds, dir, { engine: { useMean: true, composite: 'head' } }), ctx);
      expect(outcome.changed).toBe(true);
      expect(outcome.matteWritten).toBe(true);
      expect(outcome.explanation).toMatch(/^LGVI removed what its mask head found for “remove the bird on the left”: \d+\.\d% of the frame on average, in \d+ of 18 frames$/);
      expect(outcome.params).toMatchObject({ engine: 'lgvi', expression: EXPRESSION, seed: 1, steps: 2, guidance: 3, imageGuidance: 1.5, modelPack: { id: 'fixture-analytic' } });
      expect(outcome.params.modelPack!.sha256).toBe(createHash('sha256').update(await readFile(join(pack.dir, 'manifest.json'))).digest('hex'));
      expect(outcome.params.extra).toMatchObject({ scheduler: 'DDIMScheduler', window: 4, overlap: 1, stride: 1, windows: 6 });

      const take = await probeMedia(join(dir, 'take.mov'));
      expect(take.video).toMatchObject({ width: 568, height: 320, frameCount: 18 });
      const matte = await probeMedia(join(dir, 'take.matte.mov'));
      expect(matte.video).toMatchObject({ width: 568, height: 320, frameCount: 18 });
      expect((await readdir(dir)).sort()).toEqual(['take.matte.mov', 'take.mov']);

      // The matte is aligned with the source: the analytic head marks a latent cell where the
      // encoder's first channel is positive, 0.4 r + 0.35 g + 0.25 b + 0.05 > 0 over the cell's
      // working-size pixels ([-1, 1]); compare at each cell's centre, in source pixels.
      const source = decodeFrames(twoBirds, { range: { start: 0, end: 1 } });
      const first = (await source.next()).value!;
      await source.return(undefined);
      const working = toWorkingImage(first, SMALL_WORKING.width, SMALL_WORKING.height);
      const matteFrames = decodeFrames(matte, { pixelFormat: 'gray', range: { start: 0, end: 1 } });
      const m = (await matteFrames.next()).value!;
      await matteFrames.return(undefined);
      const [cw, ch, plane] = [SMALL_WORKING.width / 8, SMALL_WORKING.height / 8, SMALL_WORKING.width * SMALL_WORKING.height];
      let agree = 0;
      let marked = 0;
      for (let cy = 0; cy < ch; cy++) {
        for (let cx = 0; cx < cw; cx++) {
          let sum = 0;
          for (let y = cy * 8; y < cy * 8 + 8; y++) {
            for (let x = cx * 8; x < cx * 8 + 8; x++) {
              const i = y * SMALL_WORKING.width + x;
              sum += 0.4 * working[i] + 0.35 * working[plane + i] + 0.25 * working[2 * plane + i];
            }
          }
          const expected = sum / 64 + 0.05 > 0;
          const px = Math.floor(((cx + 0.5) * 568) / cw);
          const py = Math.floor(((cy + 0.5) * 320) / ch);
          if (expected) marked++;
          if ((m.data[py * 568 + px] > 128) === expected) agree++;
        }
      }
      expect(marked).toBeGreaterThan(0);
      expect(marked).toBeLessThan(cw * ch);
      expect(agree / (cw * ch)).toBeGreaterThan(0.9);

      const windows = [...new Set(events.progress.map((p) => p.stage).filter((s) => s.startsWith('window')))];
      expect(windows).toEqual(['window 1/6', 'window 2/6', 'window 3/6', 'window 4/6', 'window 5/6', 'window 6/6']);
      const steps = events.progress.filter((p) => p.stage.startsWith('window'));
      expect(steps.every((p) => p.total === 12)).toBe(true);
      expect(steps.map((p) => p.done)).toEqual([...steps.map((p) => p.done)].sort((a, b) => a - b));
      expect(steps[steps.length - 1].done).toBe(12);
    });
  });

  it('runs with a frame stride: every frame written, the model run on key frames only', async () => {
    await withTempDir(async (dir) => {
      const { ctx, events } = context();
      const outcome = await createLgviEngine({ packDir: pack.dir, providers: 'cpu' }).remove(removal(twoBirds, dir, { engine: { stride: 5, window: 4, overlap: 1 } }), ctx);
      expect(outcome.changed).toBe(true);
      // Key frames 0, 5, 10, 15, 17: two 4-frame windows.
      expect(outcome.params.extra).toMatchObject({ stride: 5, windows: 2 });
      expect(new Set(events.progress.map((p) => p.stage).filter((s) => s.startsWith('window')))).toEqual(new Set(['window 1/2', 'window 2/2']));
      expect((await probeMedia(join(dir, 'take.mov'))).video).toMatchObject({ width: 568, height: 320, frameCount: 18 });
      expect((await probeMedia(join(dir, 'take.matte.mov'))).video!.frameCount).toBe(18);
    });
  });

  it('finds nothing on a dark clip: changed=false, says so, writes no files', async () => {
    await withTempDir(async (dir) => {
      const clip = join(dir, 'dark.mov');
      await ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x101010:size=96x64:rate=24:duration=0.25', '-c:v', 'prores_ks', '-pix_fmt', 'yuv422p10le', clip]);
      const media = await probeMedia(clip);
      const { ctx } = context();
      const outcome = await createLgviEngine({ packDir: pack.dir, providers: 'cpu' }).remove(removal(media, dir, { name: 'out', engine: { overlap: 0 } }), ctx);
      expect(outcome.changed).toBe(false);
      expect(outcome.matteWritten).toBe(false);
      expect(outcome.explanation).toMatch(/^LGVI found nothing matching “remove the bird on the left” \(its mask stayed under 0\.1% of the frame on every frame: the mask head marked 0\.0%, the change beyond the VAE.s own error \(above \d+(–\d+)? of 255\) \d+\.\d%\); the clip is unchanged\.$/);
      expect(await readdir(dir)).toEqual(['dark.mov']);
    });
  });

  it('full frame on the same dark clip still makes a take (the reference never early-outs) and reports what the head marked', async () => {
    await withTempDir(async (dir) => {
      const clip = join(dir, 'dark.mov');
      await ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x101010:size=96x64:rate=24:duration=0.25', '-c:v', 'prores_ks', '-pix_fmt', 'yuv422p10le', clip]);
      const media = await probeMedia(clip);
      const { ctx } = context();
      const outcome = await createLgviEngine({ packDir: pack.dir, providers: 'cpu' }).remove(removal(media, dir, { name: 'out', engine: { overlap: 0 }, fullFrame: true }), ctx);
      expect(outcome.changed).toBe(true);
      expect(outcome.explanation).toMatch(/regenerated every pixel .* its mask head marked 0\.0% of the frame on average, in 0 of \d+ frames/);
    });
  });

  it('refuses bad settings with the field named, and fills defaults from the manifest', () => {
    const manifest = pack.manifest;
    expect(resolveLgviSettings({}, manifest)).toMatchObject({ steps: 50, guidance: 3, imageGuidance: 1.5, scheduler: 'DDIMScheduler', window: 4, overlap: 3, stride: 1, guidanceBatch: 'together', useMean: false });
    expect(resolveLgviSettings({ scheduler: 'EulerDiscreteScheduler', window: 24, steps: 5 }, manifest)).toMatchObject({ scheduler: 'EulerDiscreteScheduler', window: 24, overlap: 8, steps: 5 });
    for (const [bad, field] of [[{ steps: 0 }, 'steps'], [{ guidanceBatch: 'sideways' }, 'guidanceBatch'], [{ scheduler: 'PNDM' }, 'scheduler'], [{ stpes: 4 }, 'stpes']] as const) {
      try {
        resolveLgviSettings(bad as Record<string, unknown>, manifest);
        expect.unreachable();
      } catch (e) {
        expect(isLacunaError(e, 'BAD_ARGUMENT')).toBe(true);
        expect((e as Error).message).toContain(field);
      }
    }
  });
});

describe('LGVI engine on two-birds (tiny random pack)', () => {
  let pack: FixturePack;
  beforeAll(async () => {
    pack = await writeTinyRandomPack({ working: SMALL_WORKING });
  });
  afterAll(async () => pack?.cleanup());

  it('gives identical takes for the same seed and a different one for another seed', async () => {
    await withTempDir(async (dir) => {
      const engine = createLgviEngine({ packDir: pack.dir, providers: 'cpu' });
      const run = async (seed: number, name: string) => {
        const outcome = await engine.remove(removal(twoBirds, dir, { seed, name, fullFrame: true }), context().ctx);
        expect(outcome.changed).toBe(true);
        return frameHashes(await probeMedia(join(dir, `${name}.mov`)));
      };
      const a = await run(7, 'a');
      const b = await run(7, 'b');
      const c = await run(8, 'c');
      expect(a).toHaveLength(18);
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
    });
  });

  it('stops when cancelled mid-run and leaves no files', async () => {
    await withTempDir(async (dir) => {
      const controller = new AbortController();
      const { ctx, events } = context(controller.signal);
      const wrapped: RemovalContext = {
        ...ctx,
        progress: (stage, done, total) => {
          ctx.progress(stage, done, total);
          if (stage === 'window 3/6' && done === 5) controller.abort();
        },
      };
      const run = createLgviEngine({ packDir: pack.dir, providers: 'cpu' }).remove(removal(twoBirds, dir), wrapped);
      await expect(run).rejects.toSatisfy((e: unknown) => isLacunaError(e, 'CANCELLED'));
      expect(events.progress.some((p) => p.stage === 'window 3/6')).toBe(true);
      expect(events.progress.some((p) => p.stage === 'window 4/6')).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe('LGVI engine composite masks (analytic pack)', () => {
  let pack: FixturePack;
  beforeAll(async () => {
    pack = await writeAnalyticPack({ working: SMALL_WORKING });
  });
  afterAll(async () => pack?.cleanup());

  it('by default composites through the union of the head and the change beyond the VAE error, and reports both', async () => {
    await withTempDir(async (dir) => {
      const engine = createLgviEngine({ packDir: pack.dir, providers: 'cpu' });
      const union = await engine.remove(removal(twoBirds, dir, { name: 'union', engine: { useMean: true } }), context().ctx);
      const figures = /: (\d+\.\d)% of the frame on average, in \d+ of 18 frames; the mask head marked (\d+\.\d)%, the change beyond the VAE's own error \(above \d+(–\d+)? of 255\) (\d+\.\d)%$/;
      expect(union.explanation).toMatch(/^LGVI removed the union of its mask head and what it changed for/);
      const [, all, head, , changed] = union.explanation.match(figures)!.map(Number);
      // The union covers at least each of its parts (dilation and feathering only grow it).
      expect(all).toBeGreaterThanOrEqual(Math.max(head, changed) - 0.5);
      expect(union.params.extra).toMatchObject({ composite: 'union' });

      const diff = await engine.remove(removal(twoBirds, dir, { name: 'diff', engine: { useMean: true, composite: 'difference' } }), context().ctx);
      expect(diff.explanation).toMatch(/^LGVI removed what it changed for/);
      expect(diff.explanation.match(figures)![4]).toBe(String(changed.toFixed(1)));
      await expect(engine.remove(removal(twoBirds, dir, { name: 'bad', engine: { composite: 'everything' } }), context().ctx)).rejects.toSatisfy(
        (e) => isLacunaError(e, 'BAD_ARGUMENT') && /composite/.test((e as Error).message),
      );
    });
  });
});

describe('LGVI engine memory plan (analytic pack)', () => {
  let pack: FixturePack;
  beforeAll(async () => {
    pack = await writeAnalyticPack({ working: SMALL_WORKING });
  });
  afterAll(async () => pack?.cleanup());

  it('runs the guidance passes one by one when the device lacks memory for them batched, with the same pictures', async () => {
    await withTempDir(async (dir) => {
      const roomy = createLgviEngine({ packDir: pack.dir, providers: 'cpu', freeMemory: async () => 64 * 2 ** 30 });
      const tight = createLgviEngine({ packDir: pack.dir, providers: 'cpu', freeMemory: async () => 1 });
      const a = context();
      const batched = await roomy.remove(removal(twoBirds, dir, { name: 'batched' }), a.ctx);
      expect(batched.params.extra).toMatchObject({ guidanceBatch: 'together' });
      expect(a.events.warnings.filter((w) => w.startsWith('Memory:'))).toEqual([]);
      const b = context();
      const separate = await tight.remove(removal(twoBirds, dir, { name: 'separate' }), b.ctx);
      // The window was chosen (4 frames), so only the batching gives way.
      expect(separate.params.extra).toMatchObject({ guidanceBatch: 'separate', window: 4 });
      expect(b.events.warnings.some((w) => /^Memory: .* over the 0 MB free/.test(w))).toBe(true);
      expect(await frameHashes(await probeMedia(join(dir, 'separate.mov')))).toEqual(await frameHashes(await probeMedia(join(dir, 'batched.mov'))));
    });
  });
});

// LGVI-I as a removal engine, end to end on two-birds with generated packs on the CPU: a tiny
// random LGVI pack whose U-Net takes any text length, with a tiny LGVI-I part in the same folder.
// The chat request is answered by the pack's multimodal LLM on the range's first frame; the
// instruction it marked becomes the prompt pass's condition (zeros for the guidance passes).
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLgviEngine } from '../../src/engine/lgvi/lgviEngine';
import { decodeFrames } from '../../src/engine/media/decode';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../src/engine/media/probe';
import type { MediaInfo } from '../../src/engine/media/types';
import type { RemovalContext, RemovalInput } from '../../src/engine/removal/removalEngine';
import { installedRemovalEngines } from '../../src/engine/removal/installedEngines';
import { isLacunaError } from '../../src/engine/util/errors';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { writeLgviIFixturePack } from '../helpers/lgviIPack';
import { withTempDir } from '../media/mediaFiles';

const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');
const MESSAGE = 'can you remove the bird on the left?';

function context(): { ctx: RemovalContext; stages: string[] } {
  const stages: string[] = [];
  return {
    stages,
    ctx: { signal: new AbortController().signal, progress: (stage) => stages.push(stage), warn: () => {}, ffmpeg: ffmpegPaths() },
  };
}

function request(media: MediaInfo, dir: string, name: string, seed = 3): RemovalInput {
  return {
    media,
    range: { start: 0, end: 6 },
    target: { kind: 'chat', message: MESSAGE },
    settings: { seed, maskDilate: 4, maskFeather: 2, fullFrame: false, engine: { steps: 2, window: 4, overlap: 1 } },
    output: { file: join(dir, `${name}.mov`), codec: 'prores_hq' },
  };
}

async function hashOf(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const f of decodeFrames(await probeMedia(path))) h.update(f.data);
  return h.digest('hex');
}

let twoBirds: MediaInfo;
let scripted: string;
let unscripted: string;
beforeAll(async () => {
  twoBirds = await probeMedia(TWO_BIRDS);
  scripted = await mkdtemp(join(tmpdir(), 'lacuna-lgvi-i-'));
  await writeTinyRandomPack({ dir: scripted, working: SMALL_WORKING, textLength: 'any' });
  await writeLgviIFixturePack(scripted, { scripted: true });
  unscripted = await mkdtemp(join(tmpdir(), 'lacuna-lgvi-i-'));
  await writeTinyRandomPack({ dir: unscripted, working: SMALL_WORKING, textLength: 'any' });
  await writeLgviIFixturePack(unscripted, { scripted: false, seed: 5 });
});
afterAll(async () => {
  await Promise.all([scripted, unscripted].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
});

describe('LGVI-I removal engine', () => {
  it('is offered beside LGVI for a pack with lgvi-i.json, and takes chat requests only', async () => {
    const engines = installedRemovalEngines({ packDirs: [scripted] });
    expect(engines.map((e) => [e.id, e.targets])).toEqual([
      ['lgvi', ['expression']],
      ['lgvi-i', ['chat']],
      ['lite', ['expression', 'mask']],
    ]);
    const { ctx } = context();
    await withTempDir(async (dir) => {
      const asWords = { ...request(twoBirds, dir, 'x'), target: { kind: 'expression' as const, text: 'the bird' } };
      await expect(engines[1].remove(asWords, ctx)).rejects.toSatisfy((e) => isLacunaError(e, 'UNSUPPORTED'));
    });
  });

  it('answers the request, removes by the marked instruction, and the same seed gives the same take', async () => {
    await withTempDir(async (dir) => {
      const engine = createLgviEngine({ packDir: scripted, interactive: true, providers: 'cpu' });
      const { ctx, stages } = context();
      const outcome = await engine.remove(request(twoBirds, dir, 'a'), ctx);
      expect(stages).toContain('answering the request');
      expect(outcome.changed).toBe(true);
      expect(outcome.params).toMatchObject({ engine: 'lgvi-i', chat: MESSAGE, expression: 'remove the bird on left', seed: 3, extra: { answer: "I'll take it out. remove the bird on left" } });
      const take = await probeMedia(join(dir, 'a.mov'));
      expect(take.video).toMatchObject({ width: 568, height: 320, frameCount: 6 });

      await engine.remove(request(twoBirds, dir, 'b'), context().ctx);
      expect(await hashOf(join(dir, 'b.mov'))).toBe(await hashOf(join(dir, 'a.mov')));
    });
  });

  it('leaves the clip unchanged, and says so, when the answer marks no instruction', async () => {
    await withTempDir(async (dir) => {
      const engine = createLgviEngine({ packDir: unscripted, interactive: true, providers: 'cpu' });
      const outcome = await engine.remove(request(twoBirds, dir, 'c'), context().ctx);
      expect(outcome.changed).toBe(false);
      expect(outcome.explanation).toMatch(/marked no removal instruction, so nothing was removed/);
      expect(outcome.params).toMatchObject({ engine: 'lgvi-i', chat: MESSAGE });
    });
  });
});

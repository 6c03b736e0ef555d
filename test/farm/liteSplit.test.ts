import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../src/engine/media/probe';
import { createLiteEngine, liteSettingsOf, liteWindowPlan } from '../../src/engine/lite/liteEngine';
import type { RemovalInput } from '../../src/engine/removal/removalEngine';
import { chunkAdditions, joinLiteChunks, liteChunks, renderLiteChunk, type MatchedGrounding } from '../../src/engine/farm/liteSplit';
import { describeAdditions } from '../../src/engine/lite/fillAdditions';
import { frameHashes, squareClip } from './farmFixtures';

/**
 * A take split into chunks, filled chunk by chunk and joined, is the local render frame for
 * frame (and its matte too), whatever the chunk size: 8-frame windows 4 frames apart that
 * cross-fade over 3, so each window fills only its own frames and its cross-fades (its outputs,
 * windowOutputs.ts) and chunk borders cut through cross-fades. (The farm test does the same on
 * the real two-birds fixture, through Redis and three workers.)
 */
const dir = mkdtempSync(join(tmpdir(), 'lacuna-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ctx = { signal: new AbortController().signal, progress: () => {}, warn: () => {}, ffmpeg: ffmpegPaths() };

async function splitRender(input: RemovalInput, chunkWindows: number, tag: string): Promise<{ take: string; matte: string; chunks: number; explanation: string }> {
  const lite = createLiteEngine();
  const grounding = (await lite.ground(input, ctx)) as MatchedGrounding;
  expect(grounding.matched).toBe(true);
  // Through JSON, as it travels between machines.
  const travelled = JSON.parse(JSON.stringify(grounding)) as MatchedGrounding;
  const chunks = liteChunks(input, chunkWindows);
  const files = chunks.map((c) => join(dir, `${tag}-chunk${c.index}.lfc`));
  // Out of order, as workers finish them; their results travel through JSON too.
  const results: unknown[] = [];
  for (const c of [...chunks].reverse()) {
    const additions = await renderLiteChunk(createLiteEngine(), input, travelled, { takeId: tag, chunks, chunk: c.index, file: files[c.index] }, ctx);
    results.push(JSON.parse(JSON.stringify({ chunk: c.index, additions })));
  }
  const take = join(dir, `${tag}.mov`);
  const matte = join(dir, `${tag}_matte.mov`);
  await joinLiteChunks({ ...input, output: { ...input.output, file: take, matteFile: matte } }, chunks, files, ctx);
  // As the farm's join explains the take (farmWorker.ts runSplit).
  const explanation = grounding.explanation + describeAdditions(chunkAdditions(results), liteSettingsOf(input).withShadow);
  return { take, matte, chunks: chunks.length, explanation };
}

describe('Lite split and join equal the local render', () => {
  let input: RemovalInput;
  let local: { take: string[]; matte: string[]; explanation: string };
  beforeAll(async () => {
    // A matte 4 px inside the square: 2 px of its rim stay past the 2-px dilation, for the fill's soft-edge growth to find.
    const { clip, matte } = squareClip(dir, 20, 'square', 4);
    const media = await probeMedia(clip);
    input = {
      media,
      range: { start: 0, end: 20 },
      target: { kind: 'mask', matte: await probeMedia(matte) },
      settings: { seed: 0, maskDilate: 2, maskFeather: 2, fullFrame: false, engine: { window: 8, overlap: 3 } },
      output: { file: join(dir, 'local.mov'), codec: 'prores_hq', matteFile: join(dir, 'local_matte.mov') },
    };
    // The windows share more frames than they cross-fade: the outputs are narrower than the windows.
    const { plan, output } = liteWindowPlan(input);
    expect(plan.windows.map((w) => w.start)).toEqual([0, 4, 8, 12]);
    expect(output.windows.map((w) => [w.start, w.end])).toEqual([
      [0, 7],
      [4, 11],
      [8, 15],
      [12, 20],
    ]);
    const outcome = await createLiteEngine().remove(input, ctx);
    local = { take: frameHashes(input.output.file), matte: frameHashes(input.output.matteFile!), explanation: outcome.explanation };
  });

  for (const chunkWindows of [1, 2, 3]) {
    it(`with ${chunkWindows} window(s) a chunk`, async () => {
      const farm = await splitRender(input, chunkWindows, `mask-${chunkWindows}`);
      expect(farm.chunks).toBeGreaterThan(1);
      expect(frameHashes(farm.take)).toEqual(local.take);
      expect(frameHashes(farm.matte)).toEqual(local.matte);
      // The soft-edge growth the local render reports is in the farm's explanation too, the same figures.
      expect(local.explanation).toMatch(/grew the hole over soft edges by up to \d+ px/);
      expect(farm.explanation).toBe(local.explanation);
      // The fill changed the frames (not a copy of the source going through both paths).
      expect(local.take).not.toEqual(frameHashes(input.media.path));
    });
  }

  it('a chunk rendered twice (a worker that came back after its chunk was retried) is harmless', async () => {
    const lite = createLiteEngine();
    const grounding = (await lite.ground(input, ctx)) as MatchedGrounding;
    const chunks = liteChunks(input, 2);
    const files = chunks.map((c) => join(dir, `dup-chunk${c.index}.lfc`));
    for (const c of chunks) await renderLiteChunk(lite, input, grounding, { takeId: 'dup', chunks, chunk: c.index, file: files[c.index] }, ctx);
    const first = readFileSync(files[1]);
    await renderLiteChunk(createLiteEngine(), input, grounding, { takeId: 'dup', chunks, chunk: 1, file: files[1] }, ctx);
    expect(readFileSync(files[1]).equals(first)).toBe(true);
    // No temp file is left beside it, and the join still gives the local render.
    expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
    const take = join(dir, 'dup.mov');
    await joinLiteChunks({ ...input, output: { ...input.output, file: take, matteFile: join(dir, 'dup_matte.mov') } }, chunks, files, ctx);
    expect(frameHashes(take)).toEqual(local.take);
  });
});

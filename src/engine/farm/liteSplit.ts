import { decodeFrames } from '../media/decode';
import { encodeFilledTake } from '../lite/encodeFilledTake';
import { FillAdditionsSchema, noAdditions, sumAdditions, type FillAdditions } from '../lite/fillAdditions';
import { FrameFold, type FilledFrame } from '../lite/frameFold';
import { liteWindowPlan, type LiteEngine, type LiteGrounding } from '../lite/liteEngine';
import type { RemovalContext, RemovalInput } from '../removal/removalEngine';
import { ChunkReader, ChunkWriter } from './chunkFile';
import { chunkOfWindow, coveringWindows, planChunks, type Chunk } from './chunkPlan';

/**
 * A Lite take split across machines: the chunks of its window plan are filled independently
 * (renderLiteChunk), and the join (joinLiteChunks) rebuilds every frame and folds those that
 * windows of two chunks share in the plan's window order, with the plan's weights: the same fold
 * (FrameFold) and the same encoder (encodeFilledTake) as a single machine's render, so the take's
 * frames are the same bytes.
 */

export type MatchedGrounding = Extract<LiteGrounding, { matched: true }>;

/** The chunks of a take (its window plan cut into runs of `chunkWindows` windows). */
export function liteChunks(input: Pick<RemovalInput, 'media' | 'range' | 'settings' | 'output'>, chunkWindows: number): Chunk[] {
  return planChunks(liteWindowPlan(input).plan, chunkWindows);
}

function copyOf(filled: FilledFrame): FilledFrame {
  return { frame: { ...filled.frame, data: Uint8Array.from(filled.frame.data) }, mask: { ...filled.mask, data: Uint8Array.from(filled.mask.data) } };
}

export interface ChunkRender {
  takeId: string;
  chunks: readonly Chunk[];
  chunk: number;
  /** The chunk file's final path (written as a temp file beside it, then renamed). */
  file: string;
}

/**
 * Fills one chunk's windows and writes its chunk file; returns what the fill added to its windows'
 * masks (soft edges, a shadow), which the join sums for the take's explanation.
 */
export async function renderLiteChunk(lite: LiteEngine, input: RemovalInput, grounding: MatchedGrounding, job: ChunkRender, ctx: RemovalContext): Promise<FillAdditions> {
  // Frames are where the windows' outputs put them (each window fills its own and its cross-fades).
  const { output, weights } = liteWindowPlan(input);
  const cover = coveringWindows(output);
  const chunkOf = chunkOfWindow(job.chunks, output.windows.length);
  const chunk = job.chunks[job.chunk];
  const writer = await ChunkWriter.create(job.file, { takeId: job.takeId, chunk: chunk.index, windows: chunk.windows });
  const held = new Map<number, { fold: FrameFold; source: Uint8Array }>();
  const frameCount = chunk.windows.reduce((n, k) => n + output.windows[k].end - output.windows[k].start, 0);
  let done = 0;
  const added = noAdditions();
  try {
    for await (const { index: k, frames, additions } of lite.fillWindows(input, grounding, chunk.windows, ctx)) {
      if (additions) sumAdditions(added, additions);
      const w = output.windows[k];
      for (let i = 0; i < frames.length; i++) {
        const f = w.start + i;
        const ks = cover[f];
        const source = frames[i].source ?? frames[i].frame.data;
        if (!ks.every((j) => chunkOf[j] === chunk.index)) {
          // Shared with another chunk: this window's own fill, for the join to fold.
          await writer.add(f, k, frames[i], source);
        } else {
          const prior = held.get(f);
          // A copy: the fold writes into its first frame, which may be the source's own bytes.
          if (prior) prior.fold.add(frames[i]);
          else held.set(f, { fold: new FrameFold(copyOf(frames[i]), weights[k][i]), source });
          if (k === ks[ks.length - 1]) {
            const { fold, source: src } = held.get(f)!;
            held.delete(f);
            await writer.add(f, -1, fold, src);
          }
        }
        ctx.progress('filling', ++done, frameCount);
      }
    }
    await writer.commit();
  } catch (e) {
    await writer.abandon();
    throw e;
  }
  return added;
}

/**
 * The sum of the chunks' additions, from their jobs' results ({ chunk, additions }); a result
 * without them (a worker of an older version) adds nothing.
 */
export function chunkAdditions(results: readonly unknown[]): FillAdditions {
  const sum = noAdditions();
  for (const r of results) {
    const parsed = FillAdditionsSchema.safeParse((r as { additions?: unknown } | null)?.additions);
    if (parsed.success) sumAdditions(sum, parsed.data);
  }
  return sum;
}

/** Encodes the take from its chunk files (all of them, in chunk order). */
export async function joinLiteChunks(input: RemovalInput, chunks: readonly Chunk[], files: readonly string[], ctx: RemovalContext): Promise<void> {
  const { output, weights, size } = liteWindowPlan(input);
  const cover = coveringWindows(output);
  const chunkOf = chunkOfWindow(chunks, output.windows.length);
  const readers: ChunkReader[] = [];
  try {
    for (const file of files) readers.push(await ChunkReader.open(file));
    const total = input.range.end - input.range.start;
    async function* frames(signal: AbortSignal): AsyncGenerator<FilledFrame> {
      for await (const src of decodeFrames(input.media, { range: input.range, ...size, signal, ffmpeg: ctx.ffmpeg })) {
        const f = src.index;
        const ks = cover[f];
        const owners = new Set(ks.map((k) => chunkOf[k]));
        const mask = (data: Uint8Array) => ({ width: src.width, height: src.height, data });
        if (owners.size === 1) {
          const rec = await readers[chunkOf[ks[0]]].read(f, -1, src.data);
          yield { frame: { ...src, data: rec.data }, mask: mask(rec.mask) };
        } else {
          let fold: FrameFold | null = null;
          for (const k of ks) {
            const rec = await readers[chunkOf[k]].read(f, k, src.data);
            const filled = { frame: { ...src, data: rec.data }, mask: mask(rec.mask) };
            if (fold) fold.add(filled);
            else fold = new FrameFold(filled, weights[k][f - output.windows[k].start]);
          }
          yield fold!;
        }
        ctx.progress('joining', f + 1, total);
      }
    }
    await encodeFilledTake(input, frames, ctx);
  } finally {
    await Promise.all(readers.map((r) => r.close()));
  }
}

import type { WindowPlan } from '../removal/windowPlan';

/**
 * How a split take's windows are shared out: chunks are runs of consecutive windows of the take's
 * own window plan (the one a single machine uses), so chunk borders fall on window borders and
 * the frames two chunks share are exactly the overlap of two windows' outputs (the frames each
 * fills, liteWindowPlan). A frame all of whose windows are in one chunk is finished there; a frame
 * windows of several chunks cover is left to the join, which folds those windows' fills in plan
 * order as the local render does.
 */
export interface Chunk {
  index: number;
  /** Window indices into the plan, ascending and consecutive. */
  windows: number[];
}

/** Chunks of `windowsPerChunk` windows (fewer in the last), at least one chunk. */
export function planChunks(plan: WindowPlan, windowsPerChunk: number): Chunk[] {
  const per = Math.max(1, Math.floor(windowsPerChunk));
  const count = Math.ceil(plan.windows.length / per);
  return Array.from({ length: count }, (_, c) => ({
    index: c,
    windows: plan.windows.map((_, k) => k).slice(c * per, (c + 1) * per),
  }));
}

/** The windows covering each frame, ascending, indexed by frame (0-based in the range). */
export function coveringWindows(plan: WindowPlan): number[][] {
  const cover: number[][] = Array.from({ length: plan.frameCount }, () => []);
  plan.windows.forEach((w, k) => {
    for (let f = w.start; f < w.end; f++) cover[f].push(k);
  });
  return cover;
}

/** Chunk index of each window. */
export function chunkOfWindow(chunks: readonly Chunk[], windowCount: number): number[] {
  const of = new Array<number>(windowCount).fill(-1);
  for (const c of chunks) for (const k of c.windows) of[k] = c.index;
  return of;
}

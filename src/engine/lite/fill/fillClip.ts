import type { GrayImage, RgbImage } from '../types';
import { throwIfAborted } from '../../util/errors';
import type { ClipAlignment } from './alignment';
import { alignClipAtScale } from './clipAlignmentAtScale';
import type { OutputBuffers } from './outputBuffers';
import { allFrames, runStageHere, type FrameOutput, type FrameSpan, type StageName, type StageParams, type StageResult } from './fillStages';
import type { FillThreads } from './fillThreads';
import { createFillWindow, setWindowAlignment, setWindowMasks, type FillWindow, type FillWindowPool, type FillWindowTransfer } from './fillWindow';
import { workingSize } from './resample';
import { setBox } from './boxedMasks';
import { sampleRgb } from './sampleRgb';
import { spatialFill } from './spatialFill';

/**
 * Fills the masked region of a window of frames: measure the camera motion on small copies,
 * grow the hole over the object's soft rim, copy the background from frames where it is visible
 * (temporal propagation, never from other objects or from pixels that move against the camera),
 * match it to this frame's light at the hole's border (seam correction), invent what no frame
 * shows once in one reference frame (exemplar inpainting) and carry that invention to the other
 * frames through the alignment so it holds still over time; optionally find and relight the
 * object's cast shadow. Everything but the motion runs at source resolution and touches only the
 * hole and its surroundings, so a small object in a 4K frame costs little more than in a small one.
 */
export interface FillOptions {
  /** Long side of the copies the camera motion is measured on (default 480); the fill is at source resolution. */
  maxWorkingSide?: number;
  /** The window's camera motion in source pixels, when the caller has measured it already. */
  alignment?: ClipAlignment;
  /** Source frames sampled per hole pixel during propagation (median of these). */
  maxCandidates?: number;
  /** Exemplar patch half-size. */
  patchRadius?: number;
  /**
   * Composite edge feather, in source pixels, inside the mask (default 0). Only worth setting when
   * the mask was dilated beyond the object by more than this, or object pixels blend back in.
   */
  feather?: number;
  /** Most pixels the hole may grow over a soft edge (default: about 1/100 of the long side, at least 4; 0 = off). */
  edgeGrow?: number;
  /** Per frame, pixels never to copy from: other tracked objects (see distractors.ts). */
  exclude?: (Uint8Array | null)[];
  /** Also exclude pixels that move against the camera (default true). */
  excludeMoving?: boolean;
  /** Match the copied background to the frame at the hole's border (default true). */
  seamless?: boolean;
  /** Find the cast shadow attached to each hole and relight it (default false). */
  withShadow?: boolean;
  /** Where the window's working buffers come from and go back to (consecutive windows share them). */
  pool?: FillWindowPool;
  /**
   * Memory lent for the returned frames and masks (OutputBuffers): give each back once it is
   * written out. Without it they are new buffers.
   */
  outputs?: OutputBuffers;
  /**
   * The frames to fill and return (default all). The others only serve as sources: their masks,
   * motion and exclusions are worked out (what may be copied from them depends on those), but
   * nothing is copied into them.
   */
  targets?: FrameSpan;
  signal?: AbortSignal;
}

export interface FillReport {
  workingWidth: number;
  workingHeight: number;
  /** Hole pixels (all frames) filled from other frames. */
  propagatedPixels: number;
  /** Hole pixels no frame showed, invented by exemplar inpainting in reference frames. */
  inpaintedPixels: number;
  /** Frames in which spatial inpainting ran (the rest received those fills by propagation). */
  referenceFrames: number[];
  /** Consecutive frame pairs judged to be a locked-off camera. */
  stillPairs: number;
  /**
   * Runs of frames aligned with each other (1 when the whole window aligned); background is only
   * carried within a run, so more runs means more of the hole left to invent.
   */
  segments: number;
  /** Pixels (all frames) the hole grew by over soft edges, and the widest growth in pixels. */
  edgePixels: number;
  edgeWidest: number;
  /** Mean |correction| (8-bit levels) the seam correction applied to copied pixels. */
  seamCorrection: number;
  /** Pixels (all frames) of cast shadow relit. */
  shadowPixels: number;
  /** Pixels (all frames) other objects or motion against the camera kept from being copied. */
  excludedPixels: number;
}

/** The default growth limit over soft edges for a frame size. */
export function defaultEdgeGrow(width: number, height: number): number {
  return Math.max(4, Math.round(Math.max(width, height) / 100));
}

export interface FillResult {
  /** The target frames filled, and what changed in each (the grown hole, a relit shadow). */
  frames: RgbImage[];
  report: FillReport;
  masks: GrayImage[];
}

/** fillClip on this thread. */
export function fillClip(frames: RgbImage[], masks: GrayImage[], options: FillOptions = {}): FillResult {
  const plan = fillPlan(frames, masks, options, false);
  let step = plan.next();
  while (!step.done) step = plan.next(runStageHere(step.value.window, step.value.stage, step.value.params, step.value.span) as StepResults);
  return step.value;
}

/**
 * fillClip with each stage's frames shared between this thread and `threads` (fillThreads.ts):
 * the same bytes as fillClip, in about 1 / (threads + 1) of the stages' time where there are the cores.
 * `opened`: a window the caller opened (and releases from the threads); else the fill's own.
 */
export async function fillClipOnThreads(frames: RgbImage[], masks: GrayImage[], options: FillOptions, threads: FillThreads, opened?: OpenedWindow): Promise<FillResult> {
  const plan = fillPlan(frames, masks, options, true, opened);
  let step = plan.next();
  const transfer = step.done || opened ? null : step.value.transfer;
  try {
    while (!step.done) {
      throwIfAborted(options.signal, 'the fill');
      step = plan.next((await threads.run(step.value.window, step.value.transfer, step.value.stage, step.value.params, step.value.span)) as StepResults);
    }
    return step.value;
  } finally {
    if (transfer) threads.release(transfer);
  }
}

/** The fill's own stages (the others serve the masks). */
type FillStage = Exclude<StageName, 'shrink' | 'evidence' | 'paintMask' | 'closeGaps'>;

/** What a driver hands back for a step: the frames' figures, or (the output stage) their outputs. */
type StepResults = StageResult[] | FrameOutput[];

interface StageStep {
  window: FillWindow;
  transfer: FillWindowTransfer;
  stage: FillStage;
  params: StageParams;
  /** The frames it runs on; the driver hands back their results in the span's order. */
  span: FrameSpan;
}

/** A window opened before the fill (openFillWindow: the frames are in it; its masks are set here). */
export interface OpenedWindow {
  window: FillWindow;
  transfer: FillWindowTransfer;
}

/**
 * The fill as a sequence of per-frame stages (fillStages.ts), each yielded to a driver that runs
 * it on every frame and hands back the frames' figures; what is not per frame (checks, inventing
 * what no frame shows, the composite) runs here, between them.
 */
function* fillPlan(frames: RgbImage[], masks: GrayImage[], options: FillOptions, shared: boolean, opened?: OpenedWindow): Generator<StageStep, FillResult, StepResults> {
  if (frames.length !== masks.length) throw new Error(`fillClip: ${frames.length} frames but ${masks.length} masks`);
  if (frames.length === 0) throw new Error('fillClip: no frames');
  const { width, height } = frames[0];
  for (let i = 0; i < frames.length; i++) {
    const f = frames[i];
    const m = masks[i];
    if (f.width !== width || f.height !== height || m.width !== width || m.height !== height) {
      throw new Error(`fillClip: frame ${i} or its mask is not ${width}x${height}`);
    }
  }
  const targets = options.targets ?? allFrames(frames.length);
  if (!Number.isInteger(targets.start) || !Number.isInteger(targets.end) || targets.start < 0 || targets.end > frames.length || targets.start >= targets.end) {
    throw new Error(`fillClip: targets ${targets.start}..${targets.end} are not a run of the ${frames.length} frames`);
  }
  const isTarget = (t: number) => t >= targets.start && t < targets.end;
  const side = options.maxWorkingSide ?? 480;
  const size = workingSize(width, height, side);
  throwIfAborted(options.signal, 'the fill');
  const alignment = options.alignment ?? alignClipAtScale(frames, masks, side);
  throwIfAborted(options.signal, 'the fill');
  const withShadow = Boolean(options.withShadow);
  if (opened && (opened.window.count !== frames.length || opened.window.width !== width || opened.window.height !== height || Boolean(opened.window.shadowMask) !== withShadow)) {
    throw new Error('fillClip: the opened window does not hold these frames');
  }
  if (opened) {
    setWindowAlignment(opened, alignment);
    setWindowMasks(opened.window, masks, options.exclude);
  }
  const { window: w, transfer } = opened ?? createFillWindow(frames, masks, alignment, { ...(options.exclude && { exclude: options.exclude }), withShadow, shared, ...(options.pool && { pool: options.pool }) });
  const params: StageParams = {
    feather: options.feather ?? 0,
    excludeMoving: options.excludeMoving !== false,
    grow: Math.max(0, Math.floor(options.edgeGrow ?? defaultEdgeGrow(width, height))),
    maxCandidates: options.maxCandidates ?? 5,
  };
  // Stages that decide what may be copied from a frame run on every frame; those that copy into one, on the targets.
  const step = (stage: FillStage, span: FrameSpan = allFrames(w.count)): StageStep => ({ window: w, transfer, stage, params, span });
  // A stage's figures (every stage but the output hands back figures).
  function* figures(stage: FillStage, span?: FrameSpan): Generator<StageStep, StageResult[], StepResults> {
    return (yield step(stage, span)) as StageResult[];
  }
  // A targets-only stage's results spread over the window's frames (undefined elsewhere).
  const spread = (results: StageResult[]): (StageResult | undefined)[] => Array.from({ length: w.count }, (_, t) => (isTarget(t) ? results[t - targets.start] : undefined));
  const sum = (results: StageResult[], key: string) => results.reduce((a, r) => a + (r[key] ?? 0), 0);

  const excludedPixels = sum(yield* figures('exclude'), 'excluded');
  if (params.grow > 0) yield* figures('edgeExclusion');
  const grown = yield* figures('grow');
  throwIfAborted(options.signal, 'the fill');
  yield* figures('sampling');
  // Shadows first: another frame's shadow is not background either.
  let shadowPixels = 0;
  if (options.withShadow) {
    yield* figures('shadow');
    yield* figures('sampling');
    // Again, now that what the first look found is known: no estimate samples another frame's
    // shadow (a shadow moves with its object, so the nearest frames, sampled first, still show it
    // at the same scene point), and exposure is not measured on this frame's own.
    shadowPixels = sum(yield* figures('shadow'), 'shadow');
    yield* figures('sampling');
  }
  // Other frames' grown holes (rims included) are not background; nor are other objects.
  const propagated = spread(yield* figures('propagate', targets));
  let seamSum = 0;
  let seamFrames = 0;
  if (options.seamless ?? true) {
    // Only the targets' seams read the exclusion, so only their boxes say where it is needed.
    params.holeBoxes = propagated.map((r) => (r && r.x1 >= r.x0 ? { x0: r.x0, y0: r.y0, x1: r.x1, y1: r.y1 } : null));
    yield* figures('seamExclusion');
    const seams = yield* figures('seam', targets);
    seamSum = sum(seams, 'seam');
    seamFrames = sum(seams, 'corrected');
  }

  const image = (data: Uint8Array) => ({ width, height, data });
  const filled = w.filled.map(image);
  const remaining = w.remaining;
  // Pixels no frame showed, per frame (the propagation counted them).
  const left = propagated.map((r) => r?.remaining ?? 0);
  const referenceFrames: number[] = [];
  let inpaintedPixels = 0;
  for (;;) {
    throwIfAborted(options.signal, 'the fill');
    // Reference: the frame with the most unseen pixels, so one invention serves as many frames as possible.
    let r = -1;
    for (let t = 0; t < left.length; t++) if (left[t] > 0 && (r < 0 || left[t] > left[r])) r = t;
    if (r < 0) break;
    referenceFrames.push(r);
    inpaintedPixels += spatialFill(filled[r], remaining[r], options.patchRadius ?? 4, w.notBackground[r]);
    remaining[r].fill(0);
    left[r] = 0;
    const blocked = carryBlocked(w.notBackground[r], w.holes[r]);
    for (let t = 0; t < filled.length; t++) {
      if (left[t] === 0 || alignment.segment[t] !== alignment.segment[r]) continue;
      left[t] -= copyThroughAlignment(filled[r], filled[t], remaining[t], alignment.between(t, r), blocked);
    }
  }

  // What changed per target frame (the grown hole, the relit shadow beside it) and the frame composited.
  if (options.outputs) {
    const lend = options.outputs;
    params.outputs = Array.from({ length: w.count }, (_, t) => (isTarget(t) ? { frame: lend.take(width * height * 3), changed: lend.take(width * height) } : undefined));
  }
  const written = (yield step('output', targets)) as FrameOutput[];
  // Where memory was lent, the caller's own views of it (a thread's reply holds views of its own).
  const outputs = params.outputs ? written.map((_, i) => params.outputs![targets.start + i]!) : written;
  const changed = outputs.map((o) => image(o.changed));
  const out = outputs.map((o) => image(o.frame));
  // Nothing returned refers to the window's buffers (the frames and masks above are copies).
  options.pool?.give(transfer);
  return {
    frames: out,
    masks: changed,
    report: {
      workingWidth: size.width,
      workingHeight: size.height,
      propagatedPixels: propagated.reduce((a, r) => a + (r?.filled ?? 0), 0),
      inpaintedPixels,
      referenceFrames,
      stillPairs: alignment.pairs.filter((p) => p.still).length,
      segments: alignment.segment.length ? alignment.segment[alignment.segment.length - 1] + 1 : 0,
      edgePixels: sum(grown, 'added'),
      edgeWidest: grown.reduce((a, r) => Math.max(a, r.widest ?? 0), 0),
      seamCorrection: seamFrames ? seamSum / seamFrames : 0,
      shadowPixels,
      excludedPixels,
    },
  };
}

/** What a reference frame may not pass on: its excluded pixels outside its (now filled) hole. */
function carryBlocked(excluded: Uint8Array, hole: Uint8Array): Uint8Array {
  const out = new Uint8Array(excluded.length);
  for (let i = 0; i < out.length; i++) if (excluded[i] && !hole[i]) out[i] = 1;
  return out;
}

/** Fills `todo` pixels of `dst` from the (fully known) reference frame via h (dst → ref), never from `blocked`; returns how many. */
function copyThroughAlignment(ref: RgbImage, dst: RgbImage, todo: Uint8Array, h: Float64Array, blocked: Uint8Array | null): number {
  const w = dst.width;
  // On the pixels' bounding box: the same pixels in the same order, without a pass over the frame.
  const box = setBox(todo, w, dst.height, 0);
  if (!box) return 0;
  let done = 0;
  for (let i = box.y0 * w + box.x0; i <= box.y1 * w + box.x1; i++) {
    if (!todo[i]) continue;
    const x = i % w;
    const y = (i - x) / w;
    const z = h[6] * x + h[7] * y + h[8];
    const qx = (h[0] * x + h[1] * y + h[2]) / z;
    const qy = (h[3] * x + h[4] * y + h[5]) / z;
    if (!sampleRgb(ref.data, blocked, ref.width, ref.height, qx, qy, dst.data, 3 * i)) continue;
    todo[i] = 0;
    done++;
  }
  return done;
}

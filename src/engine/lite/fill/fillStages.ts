import { countSet, wordsOf } from '../../image/byteWords';
import { dilateDisk } from '../../image/diskDilation';
import { featherMask } from '../../image/feather';
import { compositeInPlace } from './composite';
import { foregroundInBox, type ForegroundRegion } from '../mask/backgroundEvidence';
import { closeGap } from '../mask/morphology';
import { paintFrameMask, scaledAlignment, type TrackEvidence } from '../mask/trackMasks';
import type { Box, GrayImage } from '../types';
import { cropToBox, orDilatedDisk, orDilatedDiskWithin, setBox, type Box as HoleBox } from './boxedMasks';
import { edgeExclusion, growSoftEdgesAt } from './edgeGrowth';
import { holeOf, type FillWindow } from './fillWindow';
import { keepGains, keptGains } from './windowGains';
import { estimateBackground, propagateFrame, ringAround, visibleRing } from './propagate';
import { shrinkRgb } from './resample';
import { correctSeam, seamRing } from './seamCorrection';
import { relightShadow, shadowReach } from './shadowFinder';
import { boxesImage, movingAgainstCameraAt } from './distractors';
import { measurePairChain, type PairMotion } from './alignment';
import { motionMasksAt } from './clipAlignmentAtScale';
import type { Homography } from './homography';

/**
 * The fill's per-frame stages (fillClip.ts runs them in order): each does one frame t of a
 * FillWindow, reading what earlier stages finished for every frame and writing only frame t's part
 * of its outputs, so the frames of a stage can run on any threads in any order (fillThreads.ts)
 * with the same bytes as one thread. Each returns frame t's figures for the fill's report.
 */
export interface StageParams {
  /** Exclude pixels that move against the camera. */
  excludeMoving: boolean;
  /** Most pixels a hole grows over a soft edge (0 = off). */
  grow: number;
  /** Source frames sampled per hole pixel during propagation. */
  maxCandidates: number;
  /**
   * Each frame's hole box (inclusive; null: no hole), once propagation has found them: the seam's
   * exclusion is built only where other frames' seams can read it (seamReach). Unset: everywhere.
   */
  holeBoxes?: (HoleBox | null)[];
  /** The composite's edge feather inside what changed, in pixels (0: none). */
  feather?: number;
  /**
   * The output stage's memory, by window frame (OutputBuffers, lent by the caller): frame t's
   * output is written there, whole, instead of into new buffers.
   */
  outputs?: (FrameOutput | undefined)[];
}

/** A target frame's output: the filled frame and what changed in it (copies that outlive the window). */
export interface FrameOutput {
  frame: Uint8Array;
  changed: Uint8Array;
}

export type StageResult = Record<string, number>;
export type StageName = keyof typeof STAGES;
/** What a stage takes besides the window and the frame, and what it hands back for the frame. */
export type StageParamsOf<S extends StageName> = Parameters<(typeof STAGES)[S]>[2];
export type StageOutput<S extends StageName> = ReturnType<(typeof STAGES)[S]>;

/** The evidence stage's: each chosen track's box per frame (null: not in that frame), at the small copies' size. */
export interface EvidenceParams {
  boxes: (Box | null)[][];
}

/** The paintMask stage's: the chosen tracks' boxes (source pixels), the evidence's regions, and the growth. */
export interface PaintMaskParams {
  tracks: { boxes: (Box | null)[] }[];
  evidence: TrackEvidence | null;
  dilate: number;
}

/** Per track (the params' order), the object's pixels around its box in this frame, or null (keep the box). */
export interface EvidenceResult {
  regions: (ForegroundRegion | null)[];
}

/** The pairChain stage's: runs of a window's pairs (t − 1 → t for t in [from, to)), and every object's boxes per frame (source pixels, kept out of the motion). */
export interface PairChainParams {
  chains: { from: number; to: number }[];
  boxes: (Box | null)[][];
  /** The motion of the pair before the first run's (null: none measured). */
  previous: Homography | null;
}

/** How deep inside a hole another frame must show background for its border pixels to be used by the seam. */
const SEAM_MARGIN = 4;

export const STAGES = {
  /** The frame shrunk to the small copies' size (the masks' evidence and the camera motion are measured there). */
  shrink(w: FillWindow, t: number): StageResult {
    const small = w.small![t];
    shrinkRgb(w.frames[t], small.width, small.height, small.data);
    return {};
  },
  /**
   * Not a frame: run k of the window's pairs measured on its small copies (alignment.ts). The
   * first run starts from the known previous motion; the others start from none, a guess the
   * caller checks (measurePairsOnThreads).
   */
  pairChain(w: FillWindow, k: number, p: PairChainParams): PairMotion[] {
    const small = w.small ?? w.frames;
    const maskAt = motionMasksAt((t) => boxesImage(p.boxes[t], w.width, w.height, 0), small[0]);
    const { from, to } = p.chains[k];
    return measurePairChain(small, maskAt, from, to, k === 0 ? p.previous : null);
  },
  /** Background evidence for each track's box in frame t, voted on by other frames' pixels outside evidenceMask. */
  evidence(w: FillWindow, t: number, p: EvidenceParams): EvidenceResult {
    const small = w.small ?? w.frames;
    const { width, height } = small[0];
    const alignment = scaledAlignment(w.alignment, width / w.width);
    const notBackground = w.evidenceMask!.map((data) => ({ width, height, data }));
    return { regions: p.boxes.map((bs) => (bs[t] ? foregroundInBox(small, notBackground, alignment, t, bs[t]!) : null)) };
  },
  /**
   * Frame t's mask from the tracks (buildTrackMasks' rule, paintFrameMask), painted into its mask
   * and grown into its scratch, where closeGaps reads its neighbours' before any is closed.
   */
  paintMask(w: FillWindow, t: number, p: PaintMaskParams): StageResult {
    const m = w.masks[t];
    const grown = w.scratch[t];
    m.data.fill(0);
    grown.fill(0);
    paintFrameMask(m, p.tracks, t, p.evidence);
    orDilatedDisk(m, p.dilate, grown);
    return {};
  },
  /** Frame t's grown mask with the gaps its neighbours close (closeTemporalGaps), as the window's mask. */
  closeGaps(w: FillWindow, t: number): StageResult {
    const out = w.masks[t].data;
    out.set(w.scratch[t]);
    if (t > 0 && t < w.count - 1) closeGap(w.scratch[t - 1], w.scratch[t], w.scratch[t + 1], out);
    return {};
  },
  /** exclude ∪ what moves against the camera. */
  exclude(w: FillWindow, t: number, p: StageParams): StageResult {
    const e = w.exclude[t];
    if (p.excludeMoving) movingAgainstCameraAt(w.frames, w.masks, w.alignment, t, e);
    return { excluded: countSet(e) };
  },
  /** Edge growth's exclusion (the hole grown by the most growth, and the exclusions). */
  edgeExclusion(w: FillWindow, t: number, p: StageParams): StageResult {
    edgeExclusion(w.masks[t], w.exclude[t], p.grow, w.scratch[t]);
    return {};
  },
  /** The hole grown over the object's soft edge (or the hole as given, when nothing grows). */
  grow(w: FillWindow, t: number, p: StageParams): StageResult {
    if (p.grow === 0) {
      w.holes[t].set(w.masks[t].data);
      return { added: 0, widest: 0 };
    }
    const g = growSoftEdgesAt(w.frames, w.masks[t], t, w.scratch, w.alignment, p.grow, w.holes[t]);
    return { added: g.added, widest: g.widest };
  },
  /** What is not background (exclusions and the relit shadow) and what propagation never samples (that and the hole). */
  sampling(w: FillWindow, t: number): StageResult {
    const nb = w.notBackground[t];
    const strict = w.strict[t];
    const e = w.exclude[t];
    const sh = w.shadowMask?.[t];
    const hole = w.holes[t];
    // Four pixels at a time where the planes can be read so (a bitwise or is the same on words).
    const [nbw, sw, ew, hw, shw] = [nb, strict, e, hole, sh].map((p) => (p ? wordsOf(p) : null));
    if (nbw && sw && ew && hw && (!sh || shw)) {
      for (let i = 0; i < nbw.length; i++) {
        nbw[i] = ew[i] | (shw ? shw[i] : 0);
        sw[i] = hw[i] | nbw[i];
      }
      return {};
    }
    for (let i = 0; i < nb.length; i++) {
      nb[i] = e[i] | (sh ? sh[i] : 0);
      strict[i] = hole[i] | nb[i];
    }
    return {};
  },
  /** The cast shadow attached to the hole, relit (with shadows only). */
  shadow(w: FillWindow, t: number): StageResult {
    if (!w.shadowMask || !w.relit) return { shadow: 0 };
    const hole = holeOf(w, t);
    const near = nearHole(hole, shadowReach(hole));
    // A second look replaces the first: a frame where it finds nothing keeps no shadow.
    w.shadowMask[t].fill(0);
    if (near.length === 0) return { shadow: 0 };
    const est = estimateBackground(w.frames, w.strict, w.alignment, t, near, visibleRing(hole, w.notBackground[t]));
    const frame = w.frames[t];
    const relit = { width: w.width, height: w.height, data: w.relit[t] };
    relit.data.set(frame.data);
    const mask = relightShadow({ frame, hole, idx: near, values: est.values, count: est.count }, relit);
    if (!mask) return { shadow: 0 };
    let shadow = 0;
    for (let i = 0; i < mask.length; i++) shadow += mask[i];
    w.shadowMask[t].set(mask);
    return { shadow };
  },
  /** Background copied from other frames into the hole. */
  propagate(w: FillWindow, t: number, p: StageParams): StageResult {
    const gains = new Map<number, Float64Array | null>();
    const n = propagateFrame(w.frames, holeOf(w, t), t, w.strict, null, w.alignment, { maxCandidates: p.maxCandidates, ringExclude: w.notBackground[t], gains }, { data: w.filled[t], rest: w.remaining[t] });
    keepGains(w.gains, w.count, t, gains);
    const box = n.box ?? { x0: 0, y0: 0, x1: -1, y1: -1 };
    return { filled: n.filled, remaining: n.remaining, ...box };
  },
  /**
   * The seam's exclusion: the border is sampled only from frames that also show a band inside it,
   * so the border's estimate comes from the same frames as the fill next to it (else the difference
   * measured would be between two other frames' light, not the fill's and this frame's).
   */
  seamExclusion(w: FillWindow, t: number, p: StageParams): StageResult {
    w.scratch[t].set(w.notBackground[t]);
    const strict = { width: w.width, height: w.height, data: w.strict[t] };
    const reach = p.holeBoxes && seamReach(w, t, p.holeBoxes);
    if (reach) orDilatedDiskWithin(strict, SEAM_MARGIN, w.scratch[t], reach);
    else orDilatedDisk(strict, SEAM_MARGIN, w.scratch[t]);
    return {};
  },
  /** The copied background matched to this frame's light at the hole's border. */
  seam(w: FillWindow, t: number): StageResult {
    const hole = holeOf(w, t);
    const ring = seamRing(hole);
    if (ring.length === 0) return { corrected: 0, seam: 0 };
    // The gains the fill was copied with (windowGains.ts).
    const est = estimateBackground(w.frames, w.scratch, w.alignment, t, ring, () => ringAround(hole), { gains: keptGains(w.gains, w.count, t) });
    const filled = { width: w.width, height: w.height, data: w.filled[t] };
    // With a relit shadow, the border the fill is matched to is the relit one: matched to the
    // frame as it was, the fill took on the shadow's darkness (bench shadow scene: 24 dB in the hole, 38.7
    // without the seam).
    const sh = w.shadowMask?.[t];
    const frame = w.relit && sh && sh.includes(1) ? { width: w.width, height: w.height, data: w.relit[t] } : w.frames[t];
    const seam = correctSeam({ frame, filled, hole, ring, ringValues: est.values, ringCount: est.count, skip: w.remaining[t] });
    return { corrected: 1, seam };
  },
  /**
   * The frame's output, once everything is filled: what changed (the grown hole, and the relit
   * shadow beside it, whose relit pixels go into the fill), the fill composited with the frame
   * over a feathered edge inside that, and copies of both to hand on. Outside what changed the
   * fill is the frame (propagation copied it), so the composite has only the feathered edge to blend.
   */
  output(w: FillWindow, t: number, p: StageParams): FrameOutput {
    const plane = w.width * w.height;
    const into = p.outputs?.[t];
    const changed = copyLike(w.holes[t], into?.changed);
    const d = w.filled[t];
    const sh = w.shadowMask?.[t];
    const r = w.relit?.[t];
    if (sh && r) {
      for (let i = 0; i < plane; i++) {
        if (!sh[i]) continue;
        changed[i] = 255;
        d[3 * i] = r[3 * i];
        d[3 * i + 1] = r[3 * i + 1];
        d[3 * i + 2] = r[3 * i + 2];
      }
    }
    const feather = p.feather ?? 0;
    if (feather > 0) {
      // The frame's scratch is free by now (the stages that read it across frames are done).
      const alpha = featherMask({ width: w.width, height: w.height, data: changed }, feather, w.scratch[t]);
      compositeInPlace(w.frames[t], { width: w.width, height: w.height, data: d }, alpha);
    }
    return { frame: copyLike(d, into?.frame), changed };
  },
} satisfies Record<string, (w: FillWindow, t: number, p: never) => unknown>;

/** A run of a window's frames [start, end). */
export interface FrameSpan {
  start: number;
  end: number;
}

/** All `count` frames of a window. */
export function allFrames(count: number): FrameSpan {
  return { start: 0, end: count };
}

/** Runs a stage on the window's frames in `span` (default all) on this thread; the results in the span's order. */
export function runStageHere<S extends StageName>(w: FillWindow, stage: S, params: StageParamsOf<S>, span: FrameSpan = allFrames(w.count)): StageOutput<S>[] {
  return Array.from({ length: span.end - span.start }, (_, k) => runStageAt(w, stage, span.start + k, params));
}

/** One frame of a stage. */
export function runStageAt<S extends StageName>(w: FillWindow, stage: S, t: number, params: StageParamsOf<S>): StageOutput<S> {
  return (STAGES[stage] as (w: FillWindow, t: number, p: StageParamsOf<S>) => StageOutput<S>)(w, t, params);
}

/**
 * How far past a hole's box the seam reads another frame's exclusion: the exposure ring (ringAround,
 * 8 px out), the sampler's 4x4 support (2 px) and a pixel of rounding.
 */
const SEAM_READ_PAD = 12;

/**
 * Where frame s's seam exclusion can be read: every other frame t of its segment samples its seam
 * ring and exposure ring from s, both within t's hole box grown by SEAM_READ_PAD, mapped into s by
 * the alignment (the box around the mapped corners holds the mapped box). Null when a corner does
 * not map (the exclusion is then built everywhere).
 */
export function seamReach(w: FillWindow, s: number, boxes: (HoleBox | null)[]): HoleBox[] | null {
  const out: HoleBox[] = [];
  const seg = w.alignment.segment;
  for (let t = 0; t < boxes.length; t++) {
    const b = boxes[t];
    if (t === s || !b || seg[t] !== seg[s]) continue;
    const h = w.alignment.between(t, s);
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const [x, y] of [
      [b.x0 - SEAM_READ_PAD, b.y0 - SEAM_READ_PAD],
      [b.x1 + SEAM_READ_PAD, b.y0 - SEAM_READ_PAD],
      [b.x0 - SEAM_READ_PAD, b.y1 + SEAM_READ_PAD],
      [b.x1 + SEAM_READ_PAD, b.y1 + SEAM_READ_PAD],
    ]) {
      const z = h[6] * x + h[7] * y + h[8];
      if (!(z > 0)) return null;
      const qx = (h[0] * x + h[1] * y + h[2]) / z;
      const qy = (h[3] * x + h[4] * y + h[5]) / z;
      if (!Number.isFinite(qx) || !Number.isFinite(qy)) return null;
      x0 = Math.min(x0, qx);
      y0 = Math.min(y0, qy);
      x1 = Math.max(x1, qx);
      y1 = Math.max(y1, qy);
    }
    const box = { x0: Math.max(0, Math.floor(x0) - 1), y0: Math.max(0, Math.floor(y0) - 1), x1: Math.min(w.width - 1, Math.ceil(x1) + 1), y1: Math.min(w.height - 1, Math.ceil(y1) + 1) };
    if (box.x0 <= box.x1 && box.y0 <= box.y1) out.push(box);
  }
  return out;
}

/**
 * A copy of a window buffer's view that outlives the window: into `into` where the caller lent
 * memory for it (of the view's length), else into new memory of the same kind, shared where the
 * window is (so a fill thread's copy reaches the caller without being copied again).
 */
function copyLike(view: Uint8Array, into?: Uint8Array): Uint8Array {
  if (into && into.length !== view.length) throw new Error(`fill output: a ${into.length}-byte buffer was lent for ${view.length} bytes`);
  const out = into ?? (view.buffer instanceof SharedArrayBuffer ? new Uint8Array(new SharedArrayBuffer(view.length)) : new Uint8Array(view.length));
  out.set(view);
  return out;
}

/** Pixels within `reach` of the hole and outside it (its bounding box only, so a large frame costs little). */
function nearHole(hole: GrayImage, reach: number): Int32Array {
  const { width: w, height: h } = hole;
  const box = setBox(hole.data, w, h, reach + 1);
  if (!box) return new Int32Array(0);
  const { width: bw, height: bh, data: crop } = cropToBox(hole.data, w, box);
  const grown = dilateDisk({ width: bw, height: bh, data: crop }, reach).data;
  const out: number[] = [];
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) if (grown[y * bw + x] && !crop[y * bw + x]) out.push((y + box.y0) * w + x + box.x0);
  return Int32Array.from(out);
}

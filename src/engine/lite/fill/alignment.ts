import type { GrayImage, RgbImage } from '../types';
import { alignmentResidual } from './alignmentResidual';
import { translationCandidates } from './coarseTranslation';
import { blockedNear, findCorners } from './corners';
import { downsampleMask2x, lumaOf, type FloatImage } from './floatImage';
import {
  composeHomographies,
  identityHomography,
  invertHomography,
  mapPoint,
  ransacHomography,
  scaleHomography,
  translationHomography,
  type Correspondences,
  type Homography,
} from './homography';
import { buildPyramid, trackPoints, type Pyramid } from './lucasKanade';

/**
 * Camera motion over a window of frames, as one global homography per frame. Why sparse corners +
 * pyramidal Lucas-Kanade + RANSAC rather than dense flow: a homography is what the fill needs (the
 * background behind an object moves with the camera, the object's own motion is masked out), a few
 * hundred tracked corners pin it to a hundredth of a pixel, and it costs milliseconds per frame on
 * two cores where a dense flow field at 960 px costs seconds. Parallax from strong depth differences
 * is the known limit; the median of several source frames in propagation absorbs small residues.
 * Repetitive texture (blinds, tiles) is the other: see pairMotion for how a pair is kept from
 * locking one period off.
 */
export interface PairMotion {
  /** Maps pixels of frame a to frame b. */
  homography: Homography;
  /** Correspondences that agreed with it. */
  inliers: number;
  /** True when the measured motion was below tracking noise and the pair was taken as a locked-off camera. */
  still: boolean;
  /** Mean absolute difference of the exposure-normalised pictures under the homography (Infinity when they barely overlap). */
  residual: number;
}

export interface ClipAlignment {
  /** Pixel of frame `from` → pixel of frame `to`. */
  between(from: number, to: number): Homography;
  /**
   * Per frame, the run of reliably aligned frames it belongs to: a new segment starts after a pair
   * that could not be aligned (a cut, a whip pan, a frame of pure blur): too few corners agreed, or
   * no motion found explains the pictures (residual far above the clip's typical one). Background is
   * only carried between frames of the same segment; across a break `between` is a guess.
   */
  segment: Int32Array;
  pairs: PairMotion[];
}

interface FrameFeatures {
  pyramid: Pyramid;
  /** Per pyramid level, pixels near the mask (never tracked from, never compared); null without a mask. */
  blocked: (Uint8Array | null)[];
  mask: GrayImage | null;
  width: number;
  height: number;
}

const WINDOW_RADIUS = 6;
/** Fewer RANSAC inliers than this and a pair is not trusted to carry pixels. */
const MIN_RELIABLE_INLIERS = 12;
/** Below these displacements (px) measured on inliers, motion is sensor noise, not camera motion. */
const STILL_MEDIAN = 0.08;
const STILL_P90 = 0.25;
/** Pyramid level the fitted motions are compared on (half size: fine detail kept, a quarter of the work). */
const RESIDUAL_LEVEL = 1;
/** Widest pyramid level the whole-frame shift search runs on. */
const SEARCH_SIDE = 160;
/** Whole-frame shift guesses that corners are tracked from (the best by their own residual). */
const TRACKED_SHIFTS = 2;
/** A refined motion is kept unless its residual exceeds the starting motion's by more than this factor. */
const REFINE_TOLERANCE = 1.25;
/** Coarsest pyramid level used when refining a motion already found (reach about ±12 px at full size). */
const REFINE_LEVELS = 1;
/**
 * A pair whose best motion leaves a residual this many times the clip's typical pair residual (and
 * above RESIDUAL_FLOOR, in normalised-luma units, so a noiseless synthetic clip is not held to
 * zero) is not aligned: a cut, a whip pan beyond the search, or texture that fooled every guess.
 */
const RESIDUAL_RATIO = 3;
const RESIDUAL_FLOOR = 6;

function featuresOf(frame: RgbImage, mask: GrayImage | null): FrameFeatures {
  const pyramid = buildPyramid(normalisedLuma(frame, mask));
  const blocked: (Uint8Array | null)[] = [];
  let m = mask;
  for (let l = 0; l < pyramid.levels.length; l++) {
    blocked.push(m ? blockedNear(m, l === 0 ? 2 : 1) : null);
    if (m && l + 1 < pyramid.levels.length) m = downsampleMask2x(m);
  }
  return { pyramid, mask, blocked, width: frame.width, height: frame.height };
}

/**
 * Corners found on the half-size pyramid level (a quarter of the work; LK refines positions at full
 * size anyway), scaled to full-size pixels. The mask is halved conservatively to match.
 */
function cornersOf(f: FrameFeatures): Float64Array {
  const useHalf = f.pyramid.levels.length > 1;
  const level = f.pyramid.levels[useHalf ? 1 : 0].img;
  const mask = f.mask && useHalf ? downsampleMask2x(f.mask) : f.mask;
  const pts = findCorners(level, mask, { margin: WINDOW_RADIUS + 1, grid: 10, perCell: 2 });
  if (useHalf) for (let i = 0; i < pts.length; i++) pts[i] *= 2;
  return pts;
}

/**
 * Luma with its mean and spread (over unmasked pixels) brought to fixed values, so that a change
 * of exposure between frames, which Lucas-Kanade would read as motion, cancels out.
 */
function normalisedLuma(frame: RgbImage, mask: GrayImage | null): FloatImage {
  const l = lumaOf(frame);
  const d = l.data;
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < d.length; i++) {
    if (mask && mask.data[i]) continue;
    sum += d[i];
    sq += d[i] * d[i];
    n++;
  }
  if (n < 2) return l;
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sq / n - mean * mean));
  if (std < 1e-3) return l;
  const scale = 50 / std;
  for (let i = 0; i < d.length; i++) d[i] = (d[i] - mean) * scale + 128;
  return l;
}

/**
 * Motion from frame a to frame b using points outside both masks; identity when nothing can be
 * tracked. Tracking is started from several guesses (no motion, the previous pair's motion, the
 * best whole-frame shifts) and the fit whose warp best explains the pictures wins, so a large move
 * over repetitive texture is not locked one period off.
 */
function pairMotion(a: FrameFeatures, b: FrameFeatures, previous: Homography | null): PairMotion {
  const corners = cornersOf(a);
  const seed = bestStart(a, b, corners, motionGuesses(a, b, previous));
  // The winner seeds tracking of every corner; the refinement is kept only if the pictures agree.
  const c = trackedCorrespondences(a, b, corners, seed.homography, seed.maxLevel);
  const fit = ransacHomography(c, { threshold: 1.0 });
  let chosen = { homography: seed.homography, residual: seed.residual };
  if (fit) {
    // Near-equal residuals are noise (interpolation, exposure): the fit to every corner is the more
    // precise motion then. Only a clearly worse one (a slip to a look-alike) is refused.
    const residual = residualAtLevel(a, b, fit.homography).mean;
    if (residual <= seed.residual * REFINE_TOLERANCE) chosen = { homography: fit.homography, residual };
  }
  const disp = agreeingDisplacements(chosen.homography, c);
  const still =
    disp.length > 0 && disp[Math.floor(disp.length / 2)] < STILL_MEDIAN && disp[Math.floor(disp.length * 0.9)] < STILL_P90;
  if (!still) return { ...chosen, inliers: disp.length, still };
  return { homography: identityHomography(), inliers: disp.length, still, residual: residualAtLevel(a, b, identityHomography()).mean };
}

/** Displacements (sorted) of the correspondences a homography maps to within RANSAC's threshold (1 px). */
function agreeingDisplacements(h: Homography, c: Correspondences): Float64Array {
  const p = new Float64Array(2);
  const out: number[] = [];
  for (let i = 0; i < c.count; i++) {
    const sx = c.src[2 * i];
    const sy = c.src[2 * i + 1];
    mapPoint(h, sx, sy, p);
    if (Math.hypot(p[0] - c.dst[2 * i], p[1] - c.dst[2 * i + 1]) < 1) out.push(Math.hypot(c.dst[2 * i] - sx, c.dst[2 * i + 1] - sy));
  }
  return Float64Array.from(out).sort();
}

/**
 * A starting motion for tracking, with the coarsest pyramid level tracking from it may use: all of
 * them from "no motion" (the classic small-motion case), only the fine ones from a guess already
 * within a few pixels, which they refine but cannot carry off to a look-alike on repetitive texture.
 */
interface Guess {
  homography: Homography;
  maxLevel?: number;
  /** True for a whole-frame shift candidate. */
  shift?: boolean;
}

/**
 * The start that best explains the pictures. Every guess is first judged as it is (cheap: one
 * residual); corners are tracked only from the few best, and the motion fitted to them competes
 * too. Tracking uses a quarter of the corners (it is most of the cost), all of them when that
 * quarter is too few to fit anything.
 */
function bestStart(a: FrameFeatures, b: FrameFeatures, corners: Float64Array, guesses: Guess[]): Guess & { residual: number } {
  const judged = guesses.map((g) => ({ ...g, residual: residualAtLevel(a, b, g.homography).mean })).sort((p, q) => p.residual - q.residual);
  let best = judged[0];
  if (guesses.length === 1) return best;
  // No motion and the previous motion are always tracked from (the classic small-motion case and a
  // camera's inertia, which a raw residual can misjudge under zoom or roll); shifts only when promising.
  const shifts = judged.filter((g) => g.shift);
  const tracked = [...judged.filter((g) => !g.shift), ...shifts.slice(0, TRACKED_SHIFTS)];
  const sample = corners.filter((_, i) => (i >> 1) % 4 === 0);
  for (const set of [sample, corners]) {
    let fitted = false;
    for (const g of tracked) {
      const fit = ransacHomography(trackedCorrespondences(a, b, set, g.homography, g.maxLevel), { threshold: 1.0, minInliers: 6 });
      if (!fit) continue;
      fitted = true;
      const residual = residualAtLevel(a, b, fit.homography).mean;
      if (residual < best.residual) best = { homography: fit.homography, maxLevel: REFINE_LEVELS, residual, shift: false };
    }
    if (fitted) break;
  }
  return best;
}

/** Starting motions for tracking, distinct ones only (full-size pixels, a → b). */
function motionGuesses(a: FrameFeatures, b: FrameFeatures, previous: Homography | null): Guess[] {
  const guesses: Guess[] = [{ homography: identityHomography() }];
  // The camera may have sped up or turned since the previous pair: that guess gets a wider reach.
  const levels = Math.min(a.pyramid.levels.length, b.pyramid.levels.length);
  if (previous) guesses.push({ homography: previous, maxLevel: Math.min(levels - 1, REFINE_LEVELS + 1) });
  // Whole-frame shifts, on the finest level at most SEARCH_SIDE wide (thin structure such as a
  // blind's strings survives there) and on the coarsest (where repetitive fine texture has blurred
  // away and only the picture's large-scale layout is left to match).
  let search = 0;
  while (search < levels - 1 && a.pyramid.levels[search].img.width > SEARCH_SIDE) search++;
  // Several peaks from each: on repetitive texture the true shift's peak is one of a row of near equals.
  for (const [level, count] of [
    [search, 6],
    [levels - 1, 2],
  ]) {
    const shifts = translationCandidates(a.pyramid.levels[level].img, b.pyramid.levels[level].img, a.blocked[level], b.blocked[level], { count });
    for (const s of shifts) guesses.push({ homography: translationHomography(s.dx * 2 ** level, s.dy * 2 ** level), maxLevel: REFINE_LEVELS, shift: true });
    if (level === levels - 1) break;
  }
  // Guesses that move the frame's centre to within two pixels of each other start tracking alike.
  const cx = a.width / 2;
  const cy = a.height / 2;
  const p = new Float64Array(2);
  const seen: number[] = [];
  return guesses.filter((g) => {
    mapPoint(g.homography, cx, cy, p);
    if (seen.some((_, k) => k % 2 === 0 && Math.hypot(seen[k] - p[0], seen[k + 1] - p[1]) < 2)) return false;
    seen.push(p[0], p[1]);
    return true;
  });
}

/** Corners of a tracked into b from the positions `guess` predicts, kept when they track back and land clear of b's mask. */
function trackedCorrespondences(a: FrameFeatures, b: FrameFeatures, corners: Float64Array, guess: Homography, maxLevel?: number): Correspondences {
  const initial = new Float64Array(corners.length);
  const p = new Float64Array(2);
  for (let i = 0; i < corners.length; i += 2) {
    mapPoint(guess, corners[i], corners[i + 1], p);
    initial[i] = p[0];
    initial[i + 1] = p[1];
  }
  const forward = trackPoints(a.pyramid, b.pyramid, corners, { radius: WINDOW_RADIUS, initial, maxLevel });
  // Forward-backward check: a corner that does not track back to where it started is unreliable.
  const backward = trackPoints(b.pyramid, a.pyramid, forward.points, { radius: WINDOW_RADIUS, initial: corners, maxLevel });
  const src: number[] = [];
  const dst: number[] = [];
  const blocked = b.blocked[0];
  for (let i = 0; i < corners.length / 2; i++) {
    if (!forward.ok[i] || !backward.ok[i]) continue;
    const fbx = backward.points[2 * i] - corners[2 * i];
    const fby = backward.points[2 * i + 1] - corners[2 * i + 1];
    if (fbx * fbx + fby * fby > 0.25) continue;
    const qx = Math.round(forward.points[2 * i]);
    const qy = Math.round(forward.points[2 * i + 1]);
    if (blocked && blocked[qy * b.width + qx]) continue;
    src.push(corners[2 * i], corners[2 * i + 1]);
    dst.push(forward.points[2 * i], forward.points[2 * i + 1]);
  }
  return { src: Float64Array.from(src), dst: Float64Array.from(dst), count: src.length / 2 };
}

function residualAtLevel(a: FrameFeatures, b: FrameFeatures, h: Homography) {
  const l = Math.min(RESIDUAL_LEVEL, a.pyramid.levels.length - 1, b.pyramid.levels.length - 1);
  return alignmentResidual(a.pyramid.levels[l].img, b.pyramid.levels[l].img, scaleHomography(h, 2 ** -l), a.blocked[l], b.blocked[l]);
}

/**
 * Pair motions measured so far in a removal, by the clip frame each pair starts at: consecutive
 * windows share frames, and a pair measured in one (the same pictures, the same objects kept out,
 * its guess from the pair before) is taken as it is in the next instead of measured again from a
 * cold start. `start`: the clip frame of this window's first frame.
 */
export interface PairMemo {
  pairs: Map<number, PairMotion>;
  start: number;
}

/**
 * Aligns every frame of a window by chaining consecutive pairs (neighbours overlap most, so they
 * track best); frame-to-frame maps are composed through frame 0's coordinates.
 */
export function alignClip(frames: RgbImage[], masks: readonly (GrayImage | null)[] | ((t: number) => GrayImage | null), memo?: PairMemo): ClipAlignment {
  const pairs: PairMotion[] = [];
  // toRef[t] maps frame t's pixels to frame 0's.
  const toRef: Homography[] = [identityHomography()];
  // Features (and masks, where given as a function) only where a pair is measured here: a remembered pair needs none.
  const maskAt = typeof masks === 'function' ? masks : (t: number) => masks[t];
  const featuresAt = featureCache(frames, maskAt);
  for (let t = 1; t < frames.length; t++) {
    const at = memo ? memo.start + t - 1 : -1;
    let m = memo?.pairs.get(at);
    if (!m) {
      // Camera motion is smooth, so the previous pair's motion is a good first guess for this one.
      m = pairMotion(featuresAt(t - 1), featuresAt(t), pairs.length ? pairs[pairs.length - 1].homography : null);
      memo?.pairs.set(at, m);
    }
    pairs.push(m);
    // m maps t-1 → t, so t → 0 is (t-1 → 0) ∘ (t → t-1).
    toRef.push(composeHomographies(toRef[t - 1], invertHomography(m.homography)));
  }
  const fromRef = toRef.map((h) => invertHomography(h));
  const limit = residualLimit(pairs);
  const segment = new Int32Array(frames.length);
  for (let t = 1; t < frames.length; t++) {
    const p = pairs[t - 1];
    const reliable = (p.still || p.inliers >= MIN_RELIABLE_INLIERS) && p.residual <= limit;
    segment[t] = segment[t - 1] + (reliable ? 0 : 1);
  }
  return {
    pairs,
    segment,
    between: (from, to) => composeHomographies(fromRef[to], toRef[from]),
  };
}

/** Each frame's features when first asked for, kept while the next pair may need them (pairs go forwards). */
function featureCache(frames: RgbImage[], maskAt: (t: number) => GrayImage | null): (t: number) => FrameFeatures {
  const features = new Map<number, FrameFeatures>();
  return (t) => {
    let f = features.get(t);
    if (!f) features.set(t, (f = featuresOf(frames[t], maskAt(t))));
    features.delete(t - 2);
    return f;
  };
}

/**
 * The motions of pairs t − 1 → t for t in [from, to), each starting from the one before it as
 * alignClip chains them, the first from `previous` (alignClip's: the pair before it, null at a
 * window's first pair). Measured so on another thread with `previous` unknown (null), a run of
 * pairs is a guess that samePairMotion checks: once one of its pairs is what the chain from the
 * true previous gives, so is every later one.
 */
export function measurePairChain(frames: RgbImage[], maskAt: (t: number) => GrayImage | null, from: number, to: number, previous: Homography | null): PairMotion[] {
  const featuresAt = featureCache(frames, maskAt);
  const out: PairMotion[] = [];
  for (let t = from; t < to; t++) out.push(pairMotion(featuresAt(t - 1), featuresAt(t), out.length ? out[out.length - 1].homography : previous));
  return out;
}

/** True when two measurements of a pair are the same to the bit (a chain goes on alike from either). */
export function samePairMotion(a: PairMotion, b: PairMotion): boolean {
  return a.inliers === b.inliers && a.still === b.still && Object.is(a.residual, b.residual) && a.homography.length === b.homography.length && a.homography.every((v, i) => Object.is(v, b.homography[i]));
}

/** The largest pair residual still taken as aligned: a multiple of the clip's median, never under the floor. */
function residualLimit(pairs: PairMotion[]): number {
  const finite = pairs.map((p) => p.residual).filter(Number.isFinite).sort((a, b) => a - b);
  const median = finite.length ? finite[finite.length >> 1] : 0;
  return Math.max(RESIDUAL_FLOOR, RESIDUAL_RATIO * median);
}

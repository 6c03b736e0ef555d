import type { GrayImage, RgbImage } from '../types';
import { blockedNear, findCorners } from './corners';
import { downsampleMask2x, lumaOf, type FloatImage } from './floatImage';
import {
  composeHomographies,
  identityHomography,
  invertHomography,
  ransacHomography,
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
 */
export interface PairMotion {
  /** Maps pixels of frame a to frame b. */
  homography: Homography;
  /** Correspondences that agreed with it. */
  inliers: number;
  /** True when the measured motion was below tracking noise and the pair was taken as a locked-off camera. */
  still: boolean;
}

export interface ClipAlignment {
  /** Pixel of frame `from` → pixel of frame `to`. */
  between(from: number, to: number): Homography;
  /**
   * Per frame, the run of reliably aligned frames it belongs to: a new segment starts after a pair
   * that could not be aligned (a cut, a whip pan, a frame of pure blur). Background is only carried
   * between frames of the same segment; across a break `between` is a guess.
   */
  segment: Int32Array;
  pairs: PairMotion[];
}

interface FrameFeatures {
  pyramid: Pyramid;
  blocked: Uint8Array | null;
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

function featuresOf(frame: RgbImage, mask: GrayImage | null): FrameFeatures {
  return {
    pyramid: buildPyramid(normalisedLuma(frame, mask)),
    mask,
    blocked: mask ? blockedNear(mask, 2) : null,
    width: frame.width,
    height: frame.height,
  };
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

/** Motion from frame a to frame b using points outside both masks; identity when nothing can be tracked. */
function pairMotion(a: FrameFeatures, b: FrameFeatures): PairMotion {
  const corners = cornersOf(a);
  const forward = trackPoints(a.pyramid, b.pyramid, corners, { radius: WINDOW_RADIUS });
  // Forward-backward check: a corner that does not track back to where it started is unreliable.
  const backward = trackPoints(b.pyramid, a.pyramid, forward.points, { radius: WINDOW_RADIUS, initial: corners });
  const src: number[] = [];
  const dst: number[] = [];
  for (let i = 0; i < corners.length / 2; i++) {
    if (!forward.ok[i] || !backward.ok[i]) continue;
    const fbx = backward.points[2 * i] - corners[2 * i];
    const fby = backward.points[2 * i + 1] - corners[2 * i + 1];
    if (fbx * fbx + fby * fby > 0.25) continue;
    const qx = Math.round(forward.points[2 * i]);
    const qy = Math.round(forward.points[2 * i + 1]);
    if (b.blocked && b.blocked[qy * b.width + qx]) continue;
    src.push(corners[2 * i], corners[2 * i + 1]);
    dst.push(forward.points[2 * i], forward.points[2 * i + 1]);
  }
  const c: Correspondences = { src: Float64Array.from(src), dst: Float64Array.from(dst), count: src.length / 2 };
  const fit = ransacHomography(c, { threshold: 1.0 });
  if (!fit) return { homography: medianTranslation(c), inliers: 0, still: false };
  const disp = new Float64Array(fit.inliers.length);
  fit.inliers.forEach((i, k) => {
    disp[k] = Math.hypot(c.dst[2 * i] - c.src[2 * i], c.dst[2 * i + 1] - c.src[2 * i + 1]);
  });
  disp.sort();
  const still = disp[Math.floor(disp.length / 2)] < STILL_MEDIAN && disp[Math.floor(disp.length * 0.9)] < STILL_P90;
  return { homography: still ? identityHomography() : fit.homography, inliers: fit.inliers.length, still };
}

function medianTranslation(c: Correspondences): Homography {
  if (c.count < 3) return identityHomography();
  const dx = new Float64Array(c.count);
  const dy = new Float64Array(c.count);
  for (let i = 0; i < c.count; i++) {
    dx[i] = c.dst[2 * i] - c.src[2 * i];
    dy[i] = c.dst[2 * i + 1] - c.src[2 * i + 1];
  }
  dx.sort();
  dy.sort();
  return translationHomography(dx[c.count >> 1], dy[c.count >> 1]);
}

/**
 * Aligns every frame of a window by chaining consecutive pairs (neighbours overlap most, so they
 * track best); frame-to-frame maps are composed through frame 0's coordinates.
 */
export function alignClip(frames: RgbImage[], masks: (GrayImage | null)[]): ClipAlignment {
  const pairs: PairMotion[] = [];
  // toRef[t] maps frame t's pixels to frame 0's.
  const toRef: Homography[] = [identityHomography()];
  let prev = frames.length ? featuresOf(frames[0], masks[0]) : null;
  for (let t = 1; t < frames.length; t++) {
    const cur = featuresOf(frames[t], masks[t]);
    const m = pairMotion(prev!, cur);
    pairs.push(m);
    // m maps t-1 → t, so t → 0 is (t-1 → 0) ∘ (t → t-1).
    toRef.push(composeHomographies(toRef[t - 1], invertHomography(m.homography)));
    prev = cur;
  }
  const fromRef = toRef.map((h) => invertHomography(h));
  const segment = new Int32Array(frames.length);
  for (let t = 1; t < frames.length; t++) {
    const p = pairs[t - 1];
    segment[t] = segment[t - 1] + (p.still || p.inliers >= MIN_RELIABLE_INLIERS ? 0 : 1);
  }
  return {
    pairs,
    segment,
    between: (from, to) => composeHomographies(fromRef[to], toRef[from]),
  };
}

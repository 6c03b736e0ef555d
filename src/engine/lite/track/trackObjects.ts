import { boxCentre, boxIou, lerpBox } from '../detect/boxMath';
import type { Box, Detection, Track } from '../types';
import { BoxMotion } from './boxMotion';
import { minCostAssignment } from './minCostAssignment';

export interface TrackerOptions {
  /** Consecutive detections a new track needs before it counts (one-frame false alarms never become tracks). */
  minHits?: number;
  /** Examined frames a confirmed track may go unseen (occluded) before it ends. */
  maxMisses?: number;
  /** Least overlap between a track's predicted box and a detection for them to be matched... */
  minIou?: number;
  /** ...or, failing that, the farthest a detection's centre may be from the prediction, in box sizes (sqrt of its area). */
  maxCentreJump?: number;
}

const DEFAULTS: Required<TrackerOptions> = { minHits: 2, maxMisses: 8, minIou: 0.1, maxCentreJump: 0.75 };

interface LiveTrack {
  label: string;
  motion: BoxMotion;
  /** Detections taken, in frame order. */
  seen: Detection[];
  misses: number;
  confirmed: boolean;
}

/**
 * Links per-frame detections into tracks over the clip.
 *
 * `detectionsPerFrame[f]` is what the detector found in frame f, or null where no detector looked
 * (between keyframes, see detectClip.ts): a null frame is neither a hit nor a miss. Each examined
 * frame, every live track predicts its box there (constant velocity, BoxMotion) and detections
 * are matched to predictions by minimum total cost (Hungarian): 1 - IoU plus the centre distance
 * in box sizes, same class only, pairs beyond the gates forbidden. Unmatched detections start
 * tentative tracks, confirmed after `minHits` consecutive hits; a confirmed track survives up to
 * `maxMisses` examined frames unseen (occlusion), a tentative one none; a track whose prediction
 * leaves the frame ends at once (it walked out, nothing to bridge).
 *
 * Output: `boxes[f]` is the detection where there was one; frames between two detections of a
 * track (misses and unexamined frames alike) get the box interpolated between them, marked
 * `predicted`. Tracks span first to last detection; nothing is extrapolated past either end.
 * Ids are 1.. in order of first appearance (then left to right).
 */
export function trackObjects(
  detectionsPerFrame: readonly (readonly Detection[] | null | undefined)[],
  frameCount: number,
  frameSize: { width: number; height: number },
  options: TrackerOptions = {},
): Track[] {
  const o = { ...DEFAULTS, ...options };
  const live: LiveTrack[] = [];
  const done: LiveTrack[] = [];
  let examined = 0;

  for (let f = 0; f < frameCount; f++) {
    const dets = detectionsPerFrame[f];
    if (!dets) continue;
    examined++;
    const predictions = live.map((t) => t.motion.predict(f));
    const cost = live.map((t, i) => dets.map((d) => matchCost(t.label, predictions[i], d, o)));
    const pairs = minCostAssignment(cost);
    const matchedTrack = new Set<number>();
    const matchedDet = new Set<number>();
    for (const [ti, di] of pairs) {
      const t = live[ti];
      t.motion.update(dets[di].box, f);
      t.seen.push({ ...dets[di], frame: f });
      t.misses = 0;
      if (t.seen.length >= o.minHits) t.confirmed = true;
      matchedTrack.add(ti);
      matchedDet.add(di);
    }
    for (let ti = live.length - 1; ti >= 0; ti--) {
      if (matchedTrack.has(ti)) continue;
      const t = live[ti];
      t.misses++;
      const gone = !overlapsFrame(predictions[ti], frameSize);
      if (!t.confirmed || gone || t.misses > o.maxMisses) {
        done.push(t);
        live.splice(ti, 1);
      }
    }
    // New objects, largest first: a part of an object already claimed this frame (a bird's tail
    // boxed on its own beside the whole bird) is not a new object.
    const claimed = [...matchedDet].map((di) => dets[di]);
    const unmatched = dets.filter((_, di) => !matchedDet.has(di));
    unmatched.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    for (const d of unmatched) {
      if (claimed.some((c) => c.label === d.label && containedShare(d.box, c.box) > 0.7)) continue;
      claimed.push(d);
      live.push({ label: d.label, motion: new BoxMotion(d.box, f), seen: [{ ...d, frame: f }], misses: 0, confirmed: o.minHits <= 1 });
    }
  }
  done.push(...live);

  // A clip examined fewer times than minHits (a single image, say) still yields its objects.
  const needed = Math.min(o.minHits, examined);
  const kept = done.filter((t) => t.confirmed || t.seen.length >= needed);
  kept.sort((a, b) => a.seen[0].frame - b.seen[0].frame || a.seen[0].box.x - b.seen[0].box.x);
  return kept.map((t, i) => toTrack(t, i + 1, frameCount));
}

function matchCost(label: string, predicted: Box, d: Detection, o: Required<TrackerOptions>): number {
  if (d.label !== label) return Infinity;
  const iou = boxIou(predicted, d.box);
  const [px, py] = boxCentre(predicted);
  const [dx, dy] = boxCentre(d.box);
  const jump = Math.hypot(px - dx, py - dy) / Math.sqrt(predicted.width * predicted.height);
  if (iou < o.minIou && jump > o.maxCentreJump) return Infinity;
  // The same object seen 4x larger or smaller from one examined frame to the next is a different one.
  const areaRatio = (d.box.width * d.box.height) / (predicted.width * predicted.height);
  if (areaRatio > 4 || areaRatio < 0.25) return Infinity;
  return 1 - iou + jump;
}

/** The share of `inner`'s area that lies inside `outer`. */
function containedShare(inner: Box, outer: Box): number {
  const ix = Math.min(inner.x + inner.width, outer.x + outer.width) - Math.max(inner.x, outer.x);
  const iy = Math.min(inner.y + inner.height, outer.y + outer.height) - Math.max(inner.y, outer.y);
  return ix > 0 && iy > 0 ? (ix * iy) / (inner.width * inner.height) : 0;
}

function overlapsFrame(b: Box, size: { width: number; height: number }): boolean {
  return b.x < size.width && b.y < size.height && b.x + b.width > 0 && b.y + b.height > 0;
}

function toTrack(t: LiveTrack, id: number, frameCount: number): Track {
  const boxes: (Box | null)[] = new Array(frameCount).fill(null);
  const predicted: boolean[] = new Array(frameCount).fill(false);
  let scoreSum = 0;
  for (let i = 0; i < t.seen.length; i++) {
    const d = t.seen[i];
    boxes[d.frame] = { ...d.box };
    scoreSum += d.score;
    const next = t.seen[i + 1];
    if (!next) continue;
    for (let f = d.frame + 1; f < next.frame; f++) {
      boxes[f] = lerpBox(d.box, next.box, (f - d.frame) / (next.frame - d.frame));
      predicted[f] = true;
    }
  }
  return {
    id,
    label: t.label,
    score: scoreSum / t.seen.length,
    firstFrame: t.seen[0].frame,
    lastFrame: t.seen[t.seen.length - 1].frame,
    boxes,
    predicted,
  };
}

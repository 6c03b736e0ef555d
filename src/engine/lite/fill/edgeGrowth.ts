import { binaryTo255 } from '../../image/byteWords';
import { dilateDisk } from '../../image/diskDilation';
import { cropToBox, orDilatedDisk, setBox } from './boxedMasks';
import type { GrayImage, RgbImage } from '../types';
import type { ClipAlignment } from './alignment';
import { estimateBackground, ringAround } from './propagate';

/**
 * Soft edges: an object's anti-aliased or motion-blurred rim mixes it with the background past any
 * binary matte or detector mask, and filling exactly the mask leaves that rim as an outline. The
 * hole is grown ring by ring while the pixels just outside it disagree with the background other
 * frames show there (the same estimate the fill copies), up to `maxGrow` pixels: a rim pixel
 * α·object + (1−α)·background differs from the background by α·|object − background|, so it joins;
 * clean background matches and stops the growth. "Disagree" is measured against the frame's own
 * noise: the same comparison a few pixels farther out, where no rim reaches.
 */
export interface EdgeGrowth {
  holes: GrayImage[];
  /** Pixels added per frame. */
  added: number[];
  /** Widest growth taken in any frame, in pixels. */
  widest: number;
}

type Bounds = { x0: number; y0: number; x1: number; y1: number };

/** Pixels 8-adjacent to `mask` and not in it, within `box`. */
export function outerRing(mask: Uint8Array, w: number, h: number, box: Bounds = { x0: 0, y0: 0, x1: w - 1, y1: h - 1 }): Int32Array {
  const out: number[] = [];
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0; x <= box.x1; x++) {
      const i = y * w + x;
      if (mask[i]) continue;
      let near = false;
      for (let dy = -1; dy <= 1 && !near; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < w && mask[yy * w + xx]) {
            near = true;
            break;
          }
        }
      }
      if (near) out.push(i);
    }
  }
  return Int32Array.from(out);
}

/**
 * The pixels the growth has not yet judged that became 8-adjacent to the mask when `joined` were
 * added to it, within `box`, in raster order; marks them in `tried` (box-sized, persistent over
 * one growth: every pixel judged so far, the first ring included). A pixel judged once and left
 * out is never judged again: its verdict depends on the pixel, the frame and the exclusion only,
 * none of which a later ring changes, so asking again (as a rescan of the outer ring would)
 * costs a background estimate and gives the same answer.
 */
export function freshOuterPixels(mask: Uint8Array, w: number, h: number, box: Bounds, joined: number[], tried: Uint8Array): Int32Array {
  const bw = box.x1 - box.x0 + 1;
  const out: number[] = [];
  for (const p of joined) {
    const px = p % w;
    const py = (p - px) / w;
    for (let yy = Math.max(box.y0, py - 1); yy <= Math.min(box.y1, h - 1, py + 1); yy++) {
      for (let xx = Math.max(box.x0, px - 1); xx <= Math.min(box.x1, w - 1, px + 1); xx++) {
        const q = yy * w + xx;
        const lq = (yy - box.y0) * bw + xx - box.x0;
        if (mask[q] || tried[lq]) continue;
        tried[lq] = 1;
        out.push(q);
      }
    }
  }
  return Int32Array.from(out).sort();
}

/** Marks `pixels` (inside `box`) in the box-sized `tried`. */
function markTried(pixels: Int32Array, w: number, box: Bounds, tried: Uint8Array): void {
  const bw = box.x1 - box.x0 + 1;
  for (const i of pixels) tried[(Math.floor(i / w) - box.y0) * bw + (i % w) - box.x0] = 1;
}

/** Largest per-channel |a − b| at pixel p against estimate j. */
function channelDiff(frame: Uint8Array, p: number, est: Uint8Array, j: number): number {
  const a = Math.abs(frame[3 * p] - est[3 * j]);
  const b = Math.abs(frame[3 * p + 1] - est[3 * j + 1]);
  const c = Math.abs(frame[3 * p + 2] - est[3 * j + 2]);
  return a > b ? (a > c ? a : c) : b > c ? b : c;
}

export function growSoftEdges(
  frames: RgbImage[],
  holes: GrayImage[],
  extraExclusion: (Uint8Array | null)[] | undefined,
  alignment: ClipAlignment,
  maxGrow: number,
): EdgeGrowth {
  const grow = Math.max(0, Math.floor(maxGrow));
  if (grow === 0) return { holes, added: holes.map(() => 0), widest: 0 };
  const exclusion = holes.map((h, t) => edgeExclusion(h, extraExclusion?.[t] ?? null, grow));
  const grown = holes.map((_, t) => growSoftEdgesAt(frames, holes[t], t, exclusion, alignment, grow));
  return { holes: grown.map((g) => g.hole), added: grown.map((g) => g.added), widest: Math.max(0, ...grown.map((g) => g.widest)) };
}

/**
 * What edge growth may not sample in a frame: its hole grown by the most growth (other frames'
 * rims are not background either), and the frame's other exclusions.
 */
export function edgeExclusion(hole: GrayImage, extra: Uint8Array | null, grow: number, out: Uint8Array = new Uint8Array(hole.data.length)): Uint8Array {
  if (extra) out.set(extra);
  else out.fill(0);
  orDilatedDisk(hole, grow + 1, out);
  return out;
}

/**
 * One frame's growth (growSoftEdges, frame t): `exclusion` is every frame's edgeExclusion. The
 * grown hole goes to `out` when given (0/255), else to a new mask; an unchanged hole is returned
 * as it is when there is no `out`.
 */
export function growSoftEdgesAt(
  frames: RgbImage[],
  hole: GrayImage,
  t: number,
  exclusion: Uint8Array[],
  alignment: ClipAlignment,
  grow: number,
  out?: Uint8Array,
): { hole: GrayImage; added: number; widest: number } {
  const { width: w, height: h } = hole;
  const mask = out ?? new Uint8Array(hole.data.length);
  binaryTo255(hole.data, mask);
  const box = setBox(mask, w, h, grow + 4);
  if (!box) return { hole: out ? { width: w, height: h, data: mask } : hole, added: 0, widest: 0 };
  const ring = ringAround(hole);
  // Noise: the same comparison on a band just past the farthest growth.
  // On the box's crop (it reaches grow + 4 past the hole, one more than the farther dilation).
  const crop = cropToBox(hole.data, w, box);
  const far = dilateDisk(crop, grow + 3).data;
  const nearer = dilateDisk(crop, grow + 1).data;
  const band: number[] = [];
  for (let y = box.y0, j = 0; y <= box.y1; y++) for (let x = box.x0; x <= box.x1; x++, j++) if (far[j] && !nearer[j]) band.push(y * w + x);
  const step = Math.max(1, Math.ceil(band.length / 2000));
  const probe = Int32Array.from(band.filter((_, k) => k % step === 0));
  // One frame's exposure gains serve the probe and every ring (same frame, exclusion and ring).
  const gains = new Map<number, Float64Array | null>();
  const pe = estimateBackground(frames, exclusion, alignment, t, probe, ring, { gains });
  const diffs: number[] = [];
  for (let j = 0; j < probe.length; j++) if (pe.count[j]) diffs.push(channelDiff(frames[t].data, probe[j], pe.values, j));
  diffs.sort((a, b) => a - b);
  const noise = diffs.length ? diffs[Math.floor(diffs.length * 0.75)] : 0;
  const threshold = Math.max(4, 2.5 * noise);
  let total = 0;
  let widest = 0;
  let candidates = outerRing(mask, w, h, box);
  const tried = new Uint8Array((box.x1 - box.x0 + 1) * (box.y1 - box.y0 + 1));
  markTried(candidates, w, box, tried);
  for (let d = 1; d <= grow; d++) {
    if (candidates.length === 0) break;
    const est = estimateBackground(frames, exclusion, alignment, t, candidates, ring, { gains });
    const joined: number[] = [];
    for (let j = 0; j < candidates.length; j++) {
      if (!est.count[j] || channelDiff(frames[t].data, candidates[j], est.values, j) <= threshold) continue;
      mask[candidates[j]] = 255;
      joined.push(candidates[j]);
    }
    total += joined.length;
    if (joined.length === 0) break;
    widest = d;
    candidates = freshOuterPixels(mask, w, h, box, joined, tried);
  }
  return { hole: { width: w, height: h, data: mask }, added: total, widest };
}

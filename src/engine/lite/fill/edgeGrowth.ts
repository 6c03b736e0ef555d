import { dilateDisk } from '../../image/diskDilation';
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

/** Pixels of a mask's bounding box (grown by `pad`), so ring searches skip the rest of a large frame. */
export function bounds(mask: Uint8Array, w: number, h: number, pad: number): Bounds | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  return { x0: Math.max(0, x0 - pad), y0: Math.max(0, y0 - pad), x1: Math.min(w - 1, x1 + pad), y1: Math.min(h - 1, y1 + pad) };
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
  // Other frames' rims are not background either: sampling skips the holes grown by the most growth.
  const exclusion = holes.map((h, t) => {
    const d = dilateDisk(h, grow + 1).data;
    const e = extraExclusion?.[t];
    if (e) for (let i = 0; i < d.length; i++) d[i] |= e[i];
    return d;
  });
  const added: number[] = [];
  let widest = 0;
  const out = holes.map((hole, t) => {
    const { width: w, height: h } = hole;
    const mask = Uint8Array.from(hole.data, (v) => (v ? 255 : 0));
    const box = bounds(mask, w, h, grow + 4);
    if (!box) {
      added.push(0);
      return hole;
    }
    const ring = ringAround(hole);
    // Noise: the same comparison on a band just past the farthest growth.
    const far = dilateDisk(hole, grow + 3).data;
    const nearer = dilateDisk(hole, grow + 1).data;
    const band: number[] = [];
    for (let y = box.y0; y <= box.y1; y++) for (let x = box.x0; x <= box.x1; x++) if (far[y * w + x] && !nearer[y * w + x]) band.push(y * w + x);
    const step = Math.max(1, Math.ceil(band.length / 2000));
    const probe = Int32Array.from(band.filter((_, k) => k % step === 0));
    const pe = estimateBackground(frames, exclusion, alignment, t, probe, ring);
    const diffs: number[] = [];
    for (let j = 0; j < probe.length; j++) if (pe.count[j]) diffs.push(channelDiff(frames[t].data, probe[j], pe.values, j));
    diffs.sort((a, b) => a - b);
    const noise = diffs.length ? diffs[Math.floor(diffs.length * 0.75)] : 0;
    const threshold = Math.max(4, 2.5 * noise);
    let total = 0;
    for (let d = 1; d <= grow; d++) {
      const candidates = outerRing(mask, w, h, box);
      if (candidates.length === 0) break;
      const est = estimateBackground(frames, exclusion, alignment, t, candidates, ring);
      let joined = 0;
      for (let j = 0; j < candidates.length; j++) {
        if (!est.count[j] || channelDiff(frames[t].data, candidates[j], est.values, j) <= threshold) continue;
        mask[candidates[j]] = 255;
        joined++;
      }
      total += joined;
      if (joined === 0) break;
      if (d > widest) widest = d;
    }
    added.push(total);
    return { width: w, height: h, data: mask };
  });
  return { holes: out, added, widest };
}

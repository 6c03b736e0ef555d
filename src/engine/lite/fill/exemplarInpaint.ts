import type { RgbImage } from '../types';
import { LacunaError } from '../../util/errors';

/**
 * Exemplar-based inpainting after Criminisi, Pérez and Toyama (2004): the hole is filled patch by
 * patch from its edge inward, in the order of priority = confidence x data term, so that strong
 * edges reaching the hole (isophotes) are continued first and texture is copied, not blurred. Each
 * step copies the best-matching fully known patch (sum of squared differences over the target's
 * known pixels) from a search window around the hole: a strided scan of the window, then every
 * position around the best one.
 */
export interface ExemplarOptions {
  /** Patch half-size: 4 gives 9x9 patches. */
  patchRadius?: number;
  /** Extra margin (px) around the hole's bounding box to search for source patches. */
  searchMargin?: number;
}

/**
 * Fills `unknown` (1 = fill) in `img` in place. Pixels already known (including those filled by
 * temporal propagation) are never changed. Returns the number of pixels filled.
 */
export function exemplarInpaint(img: RgbImage, unknown: Uint8Array, options: ExemplarOptions = {}): number {
  const { width: w, height: h, data } = img;
  const r = options.patchRadius ?? 4;
  const todo = Uint8Array.from(unknown);
  let left = 0;
  let minX = w;
  let minY = h;
  let maxX = -1;
  let maxY = -1;
  for (let i = 0; i < w * h; i++) {
    if (!todo[i]) continue;
    left++;
    const x = i % w;
    const y = (i - x) / w;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (left === 0) return 0;
  const total = left;
  if (left === w * h) {
    throw new LacunaError('BAD_ARGUMENT', 'the area to remove covers the whole picture: nothing is left to fill it from', 'Mask only the object to remove (white on black), not the whole frame.');
  }

  const margin = options.searchMargin ?? Math.max(6 * r, Math.round(0.75 * Math.max(maxX - minX, maxY - minY)));
  const sx0 = Math.max(r, minX - margin);
  const sy0 = Math.max(r, minY - margin);
  const sx1 = Math.min(w - 1 - r, maxX + margin);
  const sy1 = Math.min(h - 1 - r, maxY + margin);

  // A source patch is usable when none of its pixels was unknown at the start.
  const validSource = sourceCentres(todo, w, h, r);
  const conf = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) conf[i] = todo[i] ? 0 : 1;
  const luma = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) luma[i] = 0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2];

  const patchArea = (2 * r + 1) ** 2;
  while (left > 0) {
    // Fill front: unknown pixels with a known 4-neighbour; pick the highest priority.
    let bestP = -1;
    let bestPri = -1;
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        const i = y * w + x;
        if (!todo[i]) continue;
        const front =
          (x > 0 && !todo[i - 1]) || (x < w - 1 && !todo[i + 1]) || (y > 0 && !todo[i - w]) || (y < h - 1 && !todo[i + w]);
        if (!front) continue;
        const pri = priority(x, y, w, h, r, todo, conf, luma, patchArea);
        if (pri > bestPri) {
          bestPri = pri;
          bestP = i;
        }
      }
    }
    if (bestP < 0) break; // unreachable: an unknown pixel always touches the front while any are known
    const px = bestP % w;
    const py = (bestP - px) / w;
    const src = bestSource(px, py, data, todo, validSource, w, h, r, sx0, sy0, sx1, sy1);
    const cx = src % w;
    const cy = (src - cx) / w;
    // Confidence of the filled pixels: the target patch's confidence before the copy.
    let c = 0;
    for (let dy = -r; dy <= r; dy++) {
      const y = py + dy;
      if (y < 0 || y >= h) continue;
      for (let dx = -r; dx <= r; dx++) {
        const x = px + dx;
        if (x >= 0 && x < w) c += conf[y * w + x];
      }
    }
    c /= patchArea;
    for (let dy = -r; dy <= r; dy++) {
      const y = py + dy;
      if (y < 0 || y >= h) continue;
      for (let dx = -r; dx <= r; dx++) {
        const x = px + dx;
        if (x < 0 || x >= w) continue;
        const t = y * w + x;
        if (!todo[t]) continue;
        const s = (cy + dy) * w + (cx + dx);
        data[3 * t] = data[3 * s];
        data[3 * t + 1] = data[3 * s + 1];
        data[3 * t + 2] = data[3 * s + 2];
        luma[t] = luma[s];
        conf[t] = c;
        todo[t] = 0;
        left--;
      }
    }
  }
  return total;
}

/** Centres whose whole patch lies inside the image and was known at the start (via a summed-area table). */
function sourceCentres(todo: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const sat = new Int32Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += todo[y * w + x];
      sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
    }
  }
  const ok = new Uint8Array(w * h);
  for (let y = r; y < h - r; y++) {
    for (let x = r; x < w - r; x++) {
      const x0 = x - r;
      const y0 = y - r;
      const x1 = x + r + 1;
      const y1 = y + r + 1;
      const s = sat[y1 * (w + 1) + x1] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0] + sat[y0 * (w + 1) + x0];
      if (s === 0) ok[y * w + x] = 1;
    }
  }
  return ok;
}

/**
 * Confidence (share of trusted pixels in the patch) times the data term: how strongly an image edge
 * flows into the hole here (isophote · front normal), plus a small floor so flat areas still fill.
 */
function priority(
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
  todo: Uint8Array,
  conf: Float32Array,
  luma: Float32Array,
  patchArea: number,
): number {
  let c = 0;
  let bestMag = 0;
  let isoX = 0;
  let isoY = 0;
  for (let dy = -r; dy <= r; dy++) {
    const yy = y + dy;
    if (yy < 1 || yy >= h - 1) continue;
    for (let dx = -r; dx <= r; dx++) {
      const xx = x + dx;
      if (xx < 1 || xx >= w - 1) continue;
      const i = yy * w + xx;
      if (todo[i]) continue;
      c += conf[i];
      if (todo[i - 1] || todo[i + 1] || todo[i - w] || todo[i + w]) continue;
      const gx = (luma[i + 1] - luma[i - 1]) * 0.5;
      const gy = (luma[i + w] - luma[i - w]) * 0.5;
      const mag = gx * gx + gy * gy;
      if (mag > bestMag) {
        bestMag = mag;
        // The isophote runs along the edge: the gradient turned by 90 degrees.
        isoX = -gy;
        isoY = gx;
      }
    }
  }
  // Front normal from the known/unknown indicator's gradient.
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= w || yy >= h ? 0 : todo[yy * w + xx]);
  let nx = at(x + 1, y) - at(x - 1, y);
  let ny = at(x, y + 1) - at(x, y - 1);
  const nl = Math.hypot(nx, ny);
  if (nl > 0) {
    nx /= nl;
    ny /= nl;
  }
  const data = Math.abs(isoX * nx + isoY * ny) / 255 + 0.001;
  return (c / patchArea) * data;
}

/** Best fully known source patch for the target at (px, py): a strided scan of the window, then a full-resolution refinement around the winner. */
function bestSource(
  px: number,
  py: number,
  data: Uint8Array,
  todo: Uint8Array,
  validSource: Uint8Array,
  w: number,
  h: number,
  r: number,
  sx0: number,
  sy0: number,
  sx1: number,
  sy1: number,
): number {
  // Offsets (relative to the centre) of the target's known pixels.
  const offs: number[] = [];
  const tgt: number[] = [];
  for (let dy = -r; dy <= r; dy++) {
    const y = py + dy;
    if (y < 0 || y >= h) continue;
    for (let dx = -r; dx <= r; dx++) {
      const x = px + dx;
      if (x < 0 || x >= w) continue;
      const i = y * w + x;
      if (todo[i]) continue;
      offs.push(dy * w + dx);
      tgt.push(data[3 * i], data[3 * i + 1], data[3 * i + 2]);
    }
  }
  const off = Int32Array.from(offs);
  const tv = Uint8Array.from(tgt);
  let best = -1;
  let bestCost = Infinity;
  const cost = (c: number): number => {
    let s = 0;
    for (let k = 0; k < off.length; k++) {
      const j = 3 * (c + off[k]);
      const d0 = data[j] - tv[3 * k];
      const d1 = data[j + 1] - tv[3 * k + 1];
      const d2 = data[j + 2] - tv[3 * k + 2];
      s += d0 * d0 + d1 * d1 + d2 * d2;
      if (s >= bestCost) return s;
    }
    return s;
  };
  const scan = (x0: number, y0: number, x1: number, y1: number, step: number) => {
    for (let y = y0; y <= y1; y += step) {
      for (let x = x0; x <= x1; x += step) {
        const c = y * w + x;
        if (!validSource[c]) continue;
        const s = cost(c);
        if (s < bestCost) {
          bestCost = s;
          best = c;
        }
      }
    }
  };
  // Coarse stride grows with the window so one step costs at most ~6000 candidate comparisons.
  const stride = Math.max(2, Math.ceil(Math.sqrt(((sx1 - sx0 + 1) * (sy1 - sy0 + 1)) / 6000)));
  scan(sx0, sy0, sx1, sy1, stride);
  if (best < 0) {
    // Nothing usable near the hole: search the whole frame, as coarsely.
    const wide = Math.max(2, Math.ceil(Math.sqrt(((w - 2 * r) * (h - 2 * r)) / 6000)));
    scan(r, r, w - 1 - r, h - 1 - r, wide);
  }
  if (best < 0) throw new Error('exemplarInpaint: no fully known patch in the image');
  const bx = best % w;
  const by = (best - bx) / w;
  const reach = stride - 1;
  scan(Math.max(sx0, bx - reach), Math.max(sy0, by - reach), Math.min(sx1, bx + reach), Math.min(sy1, by + reach), 1);
  return best;
}

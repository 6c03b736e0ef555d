import type { Box, GrayImage, RgbImage } from '../types';
import type { ClipAlignment } from '../fill/alignment';
import { boxBounds } from './rasterizeBox';

/**
 * Which pixels inside an object's box are the object: those that differ from the background the
 * other frames show at the same scene point (after camera alignment). A detector's box also holds
 * background (sky between a bird's wings); removing only what differs keeps more real picture and
 * leaves less to invent. The evidence is only trusted when it is clear: enough frames saw the
 * background there, and the object neither fills the whole box (it never moved: no evidence) nor
 * almost none of it (it matches the background: no contrast).
 */
export interface EvidenceOptions {
  /** Other frames sampled for the background median. */
  samples?: number;
  /** Max per-channel difference (0..255) still counted as background. */
  threshold?: number;
}

/**
 * Returns a box-sized foreground mask (1 = object), or null when the evidence is not reliable and
 * the caller should keep the whole box. `occupied[s]` marks pixels of frame s that are not
 * background (every object's box there), so they never vote.
 */
export function foregroundInBox(
  frames: RgbImage[],
  occupied: GrayImage[],
  alignment: ClipAlignment,
  f: number,
  box: Box,
  options: EvidenceOptions = {},
): { x0: number; y0: number; width: number; height: number; fg: Uint8Array } | null {
  const { width: w, height: h } = frames[f];
  const { x0, y0, x1, y1 } = boxBounds(box, w, h);
  const bw = x1 - x0;
  const bh = y1 - y0;
  if (bw < 2 || bh < 2) return null;
  const threshold = options.threshold ?? 30;
  const want = Math.min(frames.length - 1, options.samples ?? 9);
  if (want < 3) return null;
  // Frames spread over the clip: distant frames are where a slow object has moved away.
  const sources: number[] = [];
  for (let k = 0; k < want; k++) {
    const s = Math.round((k * (frames.length - 1)) / Math.max(1, want - 1));
    if (s !== f && !sources.includes(s) && alignment.segment[s] === alignment.segment[f]) sources.push(s);
  }
  if (sources.length < 3) return null;
  const n = bw * bh;
  const samples = new Uint8Array(n * sources.length * 3);
  const count = new Uint8Array(n);
  for (const s of sources) {
    const hm = alignment.between(f, s);
    const sd = frames[s].data;
    const occ = occupied[s].data;
    for (let v = 0; v < bh; v++) {
      const y = y0 + v;
      for (let u = 0; u < bw; u++) {
        const x = x0 + u;
        const z = hm[6] * x + hm[7] * y + hm[8];
        const qx = Math.round((hm[0] * x + hm[1] * y + hm[2]) / z);
        const qy = Math.round((hm[3] * x + hm[4] * y + hm[5]) / z);
        if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        const q = qy * w + qx;
        if (occ[q]) continue;
        const j = v * bw + u;
        const o = (j * sources.length + count[j]) * 3;
        samples[o] = sd[3 * q];
        samples[o + 1] = sd[3 * q + 1];
        samples[o + 2] = sd[3 * q + 2];
        count[j]++;
      }
    }
  }
  const fg = new Uint8Array(n);
  const fd = frames[f].data;
  const vals = new Uint8Array(sources.length);
  let known = 0;
  let fgCount = 0;
  for (let j = 0; j < n; j++) {
    const c = count[j];
    const p = (y0 + Math.floor(j / bw)) * w + x0 + (j % bw);
    if (c < 3) {
      fg[j] = 1; // no background seen: assume object (removing too much is the safe error)
      fgCount++;
      continue;
    }
    known++;
    let diff = 0;
    for (let ch = 0; ch < 3; ch++) {
      for (let m = 0; m < c; m++) vals[m] = samples[(j * sources.length + m) * 3 + ch];
      vals.subarray(0, c).sort();
      const med = vals[c >> 1];
      const d = Math.abs(fd[3 * p + ch] - med);
      if (d > diff) diff = d;
    }
    if (diff > threshold) {
      fg[j] = 1;
      fgCount++;
    }
  }
  if (known < 0.7 * n) return null;
  const share = fgCount / n;
  if (share < 0.05 || share > 0.95) return null;
  return { x0, y0, width: bw, height: bh, fg };
}

import type { GrayImage, RgbImage } from '../types';
import { setBox } from './boxedMasks';

/**
 * Puts the fill back into the source frame at source resolution. Only pixels with alpha > 0 are
 * touched; every other byte is copied from the source unchanged (bit-exact), so the removal never
 * degrades the parts of the picture it had no business with. The fill may be at a lower working
 * resolution; it is then sampled bilinearly at the source pixel's centre.
 */
export function compositeFill(source: RgbImage, fill: RgbImage, alpha: GrayImage): RgbImage {
  const { width: w, height: h } = source;
  if (alpha.width !== w || alpha.height !== h) throw new Error('compositeFill: alpha and source sizes differ');
  const out = Uint8Array.from(source.data);
  const fw = fill.width;
  const fh = fill.height;
  const fd = fill.data;
  const same = fw === w && fh === h;
  const sx = fw / w;
  const sy = fh / h;
  const a = alpha.data;
  // Only the alpha's bounding box can change (at 1080p a small object's box is a few % of the frame).
  const box = setBox(a, w, h, 0);
  if (!box) return { width: w, height: h, data: out };
  for (let y = box.y0; y <= box.y1; y++) {
    // Source pixel centre in fill coordinates.
    const fy = Math.min(fh - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.min(fh - 2 < 0 ? 0 : fh - 2, Math.floor(fy));
    const ty = fh > 1 ? fy - y0 : 0;
    for (let x = box.x0; x <= box.x1; x++) {
      const i = y * w + x;
      const al = a[i];
      if (al === 0) continue;
      for (let ch = 0; ch < 3; ch++) {
        let v: number;
        if (same) v = fd[3 * i + ch];
        else {
          const fx = Math.min(fw - 1, Math.max(0, (x + 0.5) * sx - 0.5));
          const x0 = Math.min(fw - 2 < 0 ? 0 : fw - 2, Math.floor(fx));
          const tx = fw > 1 ? fx - x0 : 0;
          const j = (y0 * fw + x0) * 3 + ch;
          const x1 = fw > 1 ? 3 : 0;
          const y1 = fh > 1 ? fw * 3 : 0;
          const top = fd[j] + (fd[j + x1] - fd[j]) * tx;
          const bot = fd[j + y1] + (fd[j + y1 + x1] - fd[j + y1]) * tx;
          v = top + (bot - top) * ty;
        }
        const s = source.data[3 * i + ch];
        out[3 * i + ch] = al === 255 ? Math.round(v) : Math.round(s + ((v - s) * al) / 255);
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * compositeFill(source, fill, alpha) written into `fill` itself, for a fill at the source's size
 * that already equals the source wherever alpha is 0 (the fill's frames are the source with their
 * holes filled, and alpha lies inside the holes): only pixels with 0 < alpha < 255 change, so a
 * hard-edged alpha (no feather) costs nothing, where compositeFill copied and visited every frame.
 */
export function compositeInPlace(source: RgbImage, fill: RgbImage, alpha: GrayImage): void {
  const { width: w, height: h } = source;
  if (alpha.width !== w || alpha.height !== h || fill.width !== w || fill.height !== h) throw new Error('compositeInPlace: the sizes differ');
  const a = alpha.data;
  const box = setBox(a, w, h, 0);
  if (!box) return;
  const s = source.data;
  const f = fill.data;
  for (let y = box.y0; y <= box.y1; y++) {
    for (let x = box.x0, i = y * w + box.x0; x <= box.x1; x++, i++) {
      const al = a[i];
      if (al === 0 || al === 255) continue;
      for (let ch = 3 * i; ch < 3 * i + 3; ch++) f[ch] = Math.round(s[ch] + ((f[ch] - s[ch]) * al) / 255);
    }
  }
}

import type { GrayImage, RgbImage } from '../types';

/**
 * Single-channel float images for the alignment maths (luma, gradients, pyramids). Float keeps
 * sub-LSB precision through blurring and interpolation, which Lucas-Kanade needs for its
 * sub-pixel estimates.
 */
export interface FloatImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Rec. 601 luma of an RGB24 image. */
export function lumaOf(img: RgbImage): FloatImage {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) out[i] = 0.299 * d[j] + 0.587 * d[j + 1] + 0.114 * d[j + 2];
  return { width: img.width, height: img.height, data: out };
}

/** Half-size image: [1 2 1]/4 blur in both directions, then every second pixel (the classic pyramid step). */
export function downsample2x(img: FloatImage): FloatImage {
  const { width: w, height: h, data: s } = img;
  const ow = Math.max(1, w >> 1);
  const oh = Math.max(1, h >> 1);
  const out = new Float32Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    const y0 = Math.max(0, 2 * y - 1) * w;
    const y1 = Math.min(h - 1, 2 * y) * w;
    const y2 = Math.min(h - 1, 2 * y + 1) * w;
    for (let x = 0; x < ow; x++) {
      const x0 = Math.max(0, 2 * x - 1);
      const x1 = Math.min(w - 1, 2 * x);
      const x2 = Math.min(w - 1, 2 * x + 1);
      const r0 = s[y0 + x0] + 2 * s[y0 + x1] + s[y0 + x2];
      const r1 = s[y1 + x0] + 2 * s[y1 + x1] + s[y1 + x2];
      const r2 = s[y2 + x0] + 2 * s[y2 + x1] + s[y2 + x2];
      out[y * ow + x] = (r0 + 2 * r1 + r2) / 16;
    }
  }
  return { width: ow, height: oh, data: out };
}

/** A mask halved so that an output pixel is set when any of its source pixels is (holes never shrink). */
export function downsampleMask2x(mask: GrayImage): GrayImage {
  const { width: w, height: h, data: s } = mask;
  const ow = Math.max(1, w >> 1);
  const oh = Math.max(1, h >> 1);
  const out = new Uint8Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let m = 0;
      for (let dy = -1; dy <= 2; dy++) {
        const yy = Math.min(h - 1, Math.max(0, 2 * y + dy));
        for (let dx = -1; dx <= 2; dx++) {
          const v = s[yy * w + Math.min(w - 1, Math.max(0, 2 * x + dx))];
          if (v > m) m = v;
        }
      }
      out[y * ow + x] = m;
    }
  }
  return { width: ow, height: oh, data: out };
}

/** Bilinear sample with clamped borders. */
export function sampleBilinear(img: FloatImage, x: number, y: number): number {
  const { width: w, height: h, data } = img;
  if (x < 0) x = 0;
  else if (x > w - 1) x = w - 1;
  if (y < 0) y = 0;
  else if (y > h - 1) y = h - 1;
  const x0 = Math.min(w - 2, Math.floor(x));
  const y0 = Math.min(h - 2, Math.floor(y));
  const fx = x - x0;
  const fy = y - y0;
  const i = y0 * w + x0;
  const top = data[i] + (data[i + 1] - data[i]) * fx;
  const bot = data[i + w] + (data[i + w + 1] - data[i + w]) * fx;
  return top + (bot - top) * fy;
}

/** Central-difference gradients (x and y), zero at the border. */
export function gradients(img: FloatImage): { gx: FloatImage; gy: FloatImage } {
  const { width: w, height: h, data: s } = img;
  const gx = new Float32Array(w * h);
  const gy = new Float32Array(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      gx[i] = (s[i + 1] - s[i - 1]) * 0.5;
      gy[i] = (s[i + w] - s[i - w]) * 0.5;
    }
  }
  return { gx: { width: w, height: h, data: gx }, gy: { width: w, height: h, data: gy } };
}

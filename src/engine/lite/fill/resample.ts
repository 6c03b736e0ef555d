import { wordsOf } from '../../image/byteWords';
import type { GrayImage, RgbImage } from '../types';

/**
 * Resizing between source and working resolution. Frames are shrunk with an area (box) filter so
 * fine texture averages instead of aliasing; masks are shrunk conservatively (a working pixel is a
 * hole when any source pixel under it is) so no object pixel escapes the fill.
 */

/** Working size: the long side capped at `maxSide`, aspect kept. */
export function workingSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const s = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

/** Area-average downscale of an RGB image (any ratio ≥ 1), into `into` (width x height x 3) when given. */
export function shrinkRgb(img: RgbImage, width: number, height: number, into?: Uint8Array): RgbImage {
  if (width === img.width && height === img.height) {
    if (!into) return img;
    into.set(img.data);
    return { width, height, data: into };
  }
  const f = img.width / width;
  if (f === img.height / height && f <= 16 && Number.isInteger(Math.log2(f))) return shrinkByPowerOfTwo(img, f, into ?? new Uint8Array(width * height * 3));
  const sw = img.width;
  const src = img.data;
  const xs = boxWeights(img.width, width);
  const ys = boxWeights(img.height, height);
  // Horizontal pass into a float buffer, then vertical; taps and weights are computed once per axis.
  const tmp = new Float32Array(width * img.height * 3);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      let a = 0;
      let b = 0;
      let c = 0;
      for (let t = xs.first[x]; t < xs.first[x + 1]; t++) {
        const wgt = xs.weight[t];
        const j = (y * sw + xs.index[t]) * 3;
        a += wgt * src[j];
        b += wgt * src[j + 1];
        c += wgt * src[j + 2];
      }
      const o = (y * width + x) * 3;
      tmp[o] = a;
      tmp[o + 1] = b;
      tmp[o + 2] = c;
    }
  }
  const out = into ?? new Uint8Array(width * height * 3);
  const rowLen = width * 3;
  const acc = new Float32Array(rowLen);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let t = ys.first[y]; t < ys.first[y + 1]; t++) {
      const wgt = ys.weight[t];
      const row = ys.index[t] * rowLen;
      for (let k = 0; k < rowLen; k++) acc[k] += wgt * tmp[row + k];
    }
    const o = y * rowLen;
    for (let k = 0; k < rowLen; k++) out[o + k] = Math.round(acc[k]);
  }
  return { width, height, data: out };
}

/**
 * The area average when both sides shrink by the same power of two f (1080p to the 480-wide
 * working size: f = 4): each output is the rounded mean of an f x f block, summed in integers in
 * one pass with no float buffer. The general path gives the same bytes here, since its weights
 * (1/f) and every partial sum are exact in float32; this one takes about a fifth of its time.
 */
function shrinkByPowerOfTwo(img: RgbImage, f: number, out: Uint8Array): RgbImage {
  const width = img.width / f;
  const height = img.height / f;
  const src = img.data;
  const words = f >= 4 ? wordsOf(src) : null;
  if (words) return shrinkByWords(img, words, f, out);
  const rowLen = width * 3;
  const srcRow = img.width * 3;
  const shift = 2 * Math.log2(f);
  const half = 1 << (shift - 1);
  const acc = new Int32Array(rowLen);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let r = y * f * srcRow, end = r + f * srcRow; r < end; r += srcRow) {
      for (let x = 0, i = r; x < rowLen; x += 3) {
        let a = 0;
        let b = 0;
        let c = 0;
        for (let k = 0; k < f; k++, i += 3) {
          a += src[i];
          b += src[i + 1];
          c += src[i + 2];
        }
        acc[x] += a;
        acc[x + 1] += b;
        acc[x + 2] += c;
      }
    }
    const o = y * rowLen;
    for (let k = 0; k < rowLen; k++) out[o + k] = (acc[k] + half) >> shift;
  }
  return { width, height, data: out };
}

/**
 * shrinkByPowerOfTwo for f >= 4 on a word-aligned frame, reading words. Four RGB pixels are
 * twelve bytes, three 32-bit words (R0 G0 B0 R1 | G1 B1 R2 G2 | B2 R3 G3 B3, low byte first), and
 * a block row of f pixels is f/4 such triples starting on a word (3f bytes per block and 3w per
 * row are multiples of 4). Each word's even and odd bytes are summed in 16-bit lanes over the
 * block's rows and triples (at most 16 x 4 x 255 per lane), and the channels are picked out of
 * the lanes at the end: the same integer sums as byte by byte, so the same bytes, with a
 * quarter of the loads.
 */
function shrinkByWords(img: RgbImage, words: Uint32Array, f: number, out: Uint8Array): RgbImage {
  const width = img.width / f;
  const height = img.height / f;
  const rowWords = (img.width * 3) >> 2;
  const blockWords = (3 * f) >> 2;
  const shift = 2 * Math.log2(f);
  const half = 1 << (shift - 1);
  const M = 0x00ff00ff;
  // Per output pixel of the row: even and odd lanes of its three word positions.
  const acc = new Uint32Array(width * 6);
  for (let y = 0; y < height; y++) {
    acc.fill(0);
    for (let r = y * f * rowWords, end = r + f * rowWords; r < end; r += rowWords) {
      for (let x = 0, i = r, a = 0; x < width; x++, a += 6) {
        let e0 = 0;
        let o0 = 0;
        let e1 = 0;
        let o1 = 0;
        let e2 = 0;
        let o2 = 0;
        for (let t = 0; t < blockWords; t += 3, i += 3) {
          const w0 = words[i];
          const w1 = words[i + 1];
          const w2 = words[i + 2];
          e0 += w0 & M;
          o0 += (w0 >>> 8) & M;
          e1 += w1 & M;
          o1 += (w1 >>> 8) & M;
          e2 += w2 & M;
          o2 += (w2 >>> 8) & M;
        }
        acc[a] += e0;
        acc[a + 1] += o0;
        acc[a + 2] += e1;
        acc[a + 3] += o1;
        acc[a + 4] += e2;
        acc[a + 5] += o2;
      }
    }
    for (let x = 0, a = 0, o = y * width * 3; x < width; x++, a += 6, o += 3) {
      // Lanes: e = bytes 0 (low) and 2 (high), o = bytes 1 and 3 of each word position.
      const e0 = acc[a];
      const o0 = acc[a + 1];
      const e1 = acc[a + 2];
      const o1 = acc[a + 3];
      const e2 = acc[a + 4];
      const o2 = acc[a + 5];
      const r = (e0 & 0xffff) + (o0 >>> 16) + (e1 >>> 16) + (o2 & 0xffff);
      const g = (o0 & 0xffff) + (e1 & 0xffff) + (o1 >>> 16) + (e2 >>> 16);
      const b = (e0 >>> 16) + (o1 & 0xffff) + (e2 & 0xffff) + (o2 >>> 16);
      out[o] = (r + half) >> shift;
      out[o + 1] = (g + half) >> shift;
      out[o + 2] = (b + half) >> shift;
    }
  }
  return { width, height, data: out };
}

/** Box-filter taps from srcLen samples to dstLen: the source samples each output covers and by how much (normalised). */
function boxWeights(srcLen: number, dstLen: number) {
  const s = srcLen / dstLen;
  const first = new Int32Array(dstLen + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < dstLen; i++) {
    first[i] = index.length;
    const a = i * s;
    const b = (i + 1) * s;
    for (let k = Math.floor(a); k < Math.min(srcLen, Math.ceil(b)); k++) {
      const cover = Math.min(k + 1, b) - Math.max(k, a);
      if (cover <= 0) continue;
      index.push(k);
      weight.push(cover / s);
    }
  }
  first[dstLen] = index.length;
  return { first, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}

/** Downscale of a mask where a working pixel takes the maximum of the source pixels it covers. */
export function shrinkMask(mask: GrayImage, width: number, height: number): GrayImage {
  if (width === mask.width && height === mask.height) return mask;
  const sx = mask.width / width;
  const sy = mask.height / height;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.min(mask.height, Math.ceil((y + 1) * sy));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.min(mask.width, Math.ceil((x + 1) * sx));
      let m = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) {
          const v = mask.data[yy * mask.width + xx];
          if (v > m) m = v;
        }
      }
      out[y * width + x] = m;
    }
  }
  return { width, height, data: out };
}

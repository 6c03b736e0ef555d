import { boxesMask } from '../../../src/engine/lite/fill/distractors';
import type { GrayImage, RgbImage } from '../../../src/engine/lite/types';

/**
 * Small synthetic pictures for the fill tests: a smooth but richly textured background defined at
 * every real (x, y), so a camera warp can be rendered exactly, and square "objects" with known masks.
 */
export function textureAt(x: number, y: number, out: Float64Array): void {
  out[0] = 128 + 50 * Math.sin(x * 0.21 + y * 0.07) + 35 * Math.sin(x * 0.05 - y * 0.33 + 1) + 20 * Math.cos(x * 0.51 + y * 0.43);
  out[1] = 128 + 45 * Math.sin(y * 0.18 - x * 0.11 + 2) + 30 * Math.cos(x * 0.37 + 0.5) + 25 * Math.sin(x * 0.13 + y * 0.61);
  out[2] = 128 + 55 * Math.cos(x * 0.09 + y * 0.24 + 3) + 30 * Math.sin(y * 0.47 - x * 0.29) + 15 * Math.sin(x * 0.7);
}

/** Renders the texture with pixel (x, y) showing the scene point map(x, y). */
export function renderTexture(width: number, height: number, map?: (x: number, y: number, p: Float64Array) => void): RgbImage {
  const data = new Uint8Array(width * height * 3);
  const p = new Float64Array(2);
  const c = new Float64Array(3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      p[0] = x;
      p[1] = y;
      if (map) map(x, y, p);
      textureAt(p[0], p[1], c);
      for (let ch = 0; ch < 3; ch++) data[(y * width + x) * 3 + ch] = Math.max(0, Math.min(255, Math.round(c[ch])));
    }
  }
  return { width, height, data };
}

export function blankMask(width: number, height: number): GrayImage {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Paints a flat-coloured square object into `frame` and its support into `mask`. */
export function paintSquare(frame: RgbImage, mask: GrayImage, x0: number, y0: number, size: number, rgb: [number, number, number]): void {
  for (let y = Math.max(0, y0); y < Math.min(frame.height, y0 + size); y++) {
    for (let x = Math.max(0, x0); x < Math.min(frame.width, x0 + size); x++) {
      const i = y * frame.width + x;
      frame.data.set(rgb, 3 * i);
      mask.data[i] = 255;
    }
  }
}

export function copyImage(img: RgbImage): RgbImage {
  return { width: img.width, height: img.height, data: Uint8Array.from(img.data) };
}

/** PSNR (dB) over the pixels where `region` is set. */
export function psnrIn(a: RgbImage, b: RgbImage, region: Uint8Array): number {
  let se = 0;
  let n = 0;
  for (let i = 0; i < region.length; i++) {
    if (!region[i]) continue;
    for (let ch = 0; ch < 3; ch++) {
      const d = a.data[3 * i + ch] - b.data[3 * i + ch];
      se += d * d;
      n++;
    }
  }
  return se === 0 ? Infinity : 10 * Math.log10((255 * 255 * n) / se);
}

/** Deterministic hash of a lattice point to [0, 1). */
function latticeHash(x: number, y: number): number {
  let h = (x * 374761393 + y * 668265263) ^ 0x5bd1e995;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Value noise over three octaves (3, 9 and 27 px cells): broadband like a natural picture, unlike the sinusoid texture. */
export function noiseAt(x: number, y: number): number {
  let v = 0;
  for (const [cell, amp] of [
    [3, 40],
    [9, 50],
    [27, 60],
  ]) {
    const fx = x / cell;
    const fy = y / cell;
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const tx = fx - x0;
    const ty = fy - y0;
    const k = cell * 1000;
    const top = latticeHash(x0, y0 + k) * (1 - tx) + latticeHash(x0 + 1, y0 + k) * tx;
    const bottom = latticeHash(x0, y0 + 1 + k) * (1 - tx) + latticeHash(x0 + 1, y0 + 1 + k) * tx;
    v += amp * (top * (1 - ty) + bottom * ty);
  }
  return v;
}

/** The value noise seen by a camera whose picture content moved by (ox, oy) px. */
export function renderNoise(width: number, height: number, ox: number, oy: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = Math.round(noiseAt(x - ox, y - oy));
      data.set([v, 255 - v, v >> 1], 3 * (y * width + x));
    }
  }
  return { width, height, data };
}

/**
 * A panning clip with every fill stage at work: an object with a soft rim and a dark offset shadow
 * moving across, a scene-fixed object no frame sees behind (invented), and an unmasked passer-by
 * going the other way (excluded as another tracked object). `phase` shifts the scene and the
 * objects, for clips of the same shape with different pictures.
 */
export function panningClip(phase = 0): { frames: RgbImage[]; masks: GrayImage[]; exclude: (Uint8Array | null)[] } {
  const frames: RgbImage[] = [];
  const masks: GrayImage[] = [];
  const exclude: (Uint8Array | null)[] = [];
  const W = 192;
  const H = 108;
  for (let t = 0; t < 9; t++) {
    const f = renderTexture(W, H, (x, y, p) => {
      p[0] = x + 2.3 * t + 17 * phase;
      p[1] = y + 0.4 * t;
    });
    const m = blankMask(W, H);
    // The object, with a dark offset shadow below it and a soft rim.
    const x0 = 30 + 9 * t + 5 * phase;
    for (let y = 52; y < 70; y++) for (let x = x0 + 4; x < x0 + 26; x++) for (let c = 0; c < 3; c++) f.data[3 * (y * W + x) + c] = Math.round(f.data[3 * (y * W + x) + c] * 0.55);
    paintSquare(f, m, x0, 30, 22, [230, 40, 60]);
    for (let x = x0 - 1; x < x0 + 23; x++) f.data.set([200, 90, 90], 3 * (29 * W + x));
    // An object fixed in the scene (it moves with the pan), so no frame sees behind it: invented.
    paintSquare(f, m, Math.round(150 - 2.3 * t), Math.round(20 - 0.4 * t), 12, [20, 20, 220]);
    // A passer-by going the other way, not masked: excluded as another tracked object.
    const px = 160 - 11 * t;
    paintSquare(f, blankMask(W, H), px, 75, 14, [250, 250, 250]);
    frames.push(f);
    masks.push(m);
    exclude.push(boxesMask([{ x: px, y: 75, width: 14, height: 14 }], W, H, 1));
  }
  return { frames, masks, exclude };
}

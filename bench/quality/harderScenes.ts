import type { Box, GrayImage, RgbImage } from '../../src/engine/lite/types';
import { cameraAt, cropBilinear, FRAME_H, FRAME_W, paintSprite, type Scene, type SpritePath } from './scenes';

/**
 * The second pass's scenes (issue 14), each with exact truth, built on the same backgrounds and
 * cameras as the first ones:
 * - soft-edge: the object's rim is anti-aliased and motion-blurred (alpha falls off over 2 px plus
 *   its speed), the mask is the binary core (alpha >= 0.5), as a matte exported from a keyer is;
 *   scored inside the hole grown by 2 px, where the rim lies.
 * - moving-light: a pan under clouds whose shadows drift across the scene on their own, so the
 *   background other frames show was lit differently (the patch Lite used to leave).
 * - distractor: a second object, not to be removed, crosses where the first one's background is
 *   taken from; it is in the truth, and its boxes are given as the tracker would give them.
 *   Scored on the hole where the truth shows background; where it shows the other object passing
 *   behind the removed one, scored apart (background propagation cannot show what no frame shows).
 * - shadow: the object casts a shadow (its silhouette darkened to 55 %, blurred, offset) that the
 *   truth does not have; the mask is the object alone; scored over the object and its shadow.
 */
export type HarderKind = 'soft-edge' | 'moving-light' | 'distractor' | 'shadow';

export interface HarderScene extends Scene {
  kind: HarderKind | 'long';
  /** Pixels scored per frame (the hole, grown or with the shadow as the kind says). */
  scored: GrayImage[];
  /** Per frame, pixels of other (tracked) objects: the fill's `exclude`. */
  exclude?: (Uint8Array | null)[];
  /**
   * Per frame, hole pixels where the truth shows the other object (it passes behind the removed
   * one): not background, so not in `scored`; reported apart (distractor only).
   */
  behindHole?: GrayImage[];
}

const PATH: SpritePath = { radius: 30, x0: 60, y0: 100, vx: 11, vy: 1, phase: 0, wobble: 5 };
const OTHER: SpritePath = { radius: 18, x0: 360, y0: 110, vx: -12, vy: -0.5, phase: 2, wobble: 3 };

function blank(): GrayImage {
  return { width: FRAME_W, height: FRAME_H, data: new Uint8Array(FRAME_W * FRAME_H) };
}

function grow(m: GrayImage, r: number): GrayImage {
  const out = blank();
  for (let y = 0; y < FRAME_H; y++) {
    for (let x = 0; x < FRAME_W; x++) {
      if (!m.data[y * FRAME_W + x]) continue;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (dx * dx + dy * dy <= r * r && yy >= 0 && yy < FRAME_H && xx >= 0 && xx < FRAME_W) out.data[yy * FRAME_W + xx] = 255;
        }
      }
    }
  }
  return out;
}

/** Box blur of an alpha plane (0..1), radius r, separable. */
function blurAlpha(a: Float32Array, r: number): Float32Array {
  if (r <= 0) return a;
  const tmp = new Float32Array(a.length);
  const out = new Float32Array(a.length);
  for (let y = 0; y < FRAME_H; y++) {
    for (let x = 0; x < FRAME_W; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += a[y * FRAME_W + Math.min(FRAME_W - 1, Math.max(0, x + k))];
      tmp[y * FRAME_W + x] = s / (2 * r + 1);
    }
  }
  for (let y = 0; y < FRAME_H; y++) {
    for (let x = 0; x < FRAME_W; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) s += tmp[Math.min(FRAME_H - 1, Math.max(0, y + k)) * FRAME_W + x];
      out[y * FRAME_W + x] = s / (2 * r + 1);
    }
  }
  return out;
}

/** The sprite's colour and support at frame t on its own layer. */
function spriteLayer(sprite: RgbImage, p: SpritePath, t: number): { rgb: RgbImage; support: GrayImage } {
  const rgb = { width: FRAME_W, height: FRAME_H, data: new Uint8Array(FRAME_W * FRAME_H * 3) };
  const support = blank();
  paintSprite(rgb, support, sprite, p, t);
  return { rgb, support };
}

/** Horizontal motion blur of a layer's alpha over `len` px (the sprite's speed), then a 1-px anti-alias. */
function softAlpha(support: GrayImage, len: number): Float32Array {
  const a = Float32Array.from(support.data, (v) => (v ? 1 : 0));
  const out = new Float32Array(a.length);
  const half = Math.max(0, Math.round(len / 2));
  for (let y = 0; y < FRAME_H; y++) {
    for (let x = 0; x < FRAME_W; x++) {
      let s = 0;
      for (let k = -half; k <= half; k++) s += a[y * FRAME_W + Math.min(FRAME_W - 1, Math.max(0, x + k))];
      out[y * FRAME_W + x] = s / (2 * half + 1);
    }
  }
  return blurAlpha(out, 1);
}

function boxOf(m: GrayImage, pad: number): Box | null {
  let x0 = FRAME_W;
  let y0 = FRAME_H;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < FRAME_H; y++) {
    for (let x = 0; x < FRAME_W; x++) {
      if (!m.data[y * FRAME_W + x]) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = y;
    }
  }
  return x1 < 0 ? null : { x: x0 - pad, y: y0 - pad, width: x1 - x0 + 1 + 2 * pad, height: y1 - y0 + 1 + 2 * pad };
}

function paintBoxInto(b: Box | null): Uint8Array | null {
  if (!b) return null;
  const out = new Uint8Array(FRAME_W * FRAME_H);
  for (let y = Math.max(0, Math.floor(b.y)); y < Math.min(FRAME_H, Math.ceil(b.y + b.height)); y++) {
    for (let x = Math.max(0, Math.floor(b.x)); x < Math.min(FRAME_W, Math.ceil(b.x + b.width)); x++) out[y * FRAME_W + x] = 1;
  }
  return out;
}

/** Smooth cloud cover in scene coordinates (0..1), drifting with the wind. */
function cloudAt(x: number, y: number, t: number): number {
  const u = x - 2.5 * t;
  const v = y + 0.8 * t;
  const c = 0.5 + 0.25 * Math.sin(u / 37 + 0.7 * Math.sin(v / 53)) + 0.25 * Math.sin(v / 29 - u / 71 + 1.3);
  return Math.max(0, Math.min(1, c));
}

export function buildHarderScene(kind: HarderKind, background: { name: string; image: RgbImage }, sprite: RgbImage, frameCount: number): HarderScene {
  const camera: Scene['camera'] = 'pan';
  const frames: RgbImage[] = [];
  const truth: RgbImage[] = [];
  const masks: GrayImage[] = [];
  const scored: GrayImage[] = [];
  const exclude: (Uint8Array | null)[] = [];
  const behindHole: GrayImage[] = [];
  for (let t = 0; t < frameCount; t++) {
    const cam = cameraAt(camera, t, frameCount);
    const bg = cropBilinear(background.image, cam.x, cam.y);
    if (kind === 'moving-light') {
      for (let y = 0; y < FRAME_H; y++) {
        for (let x = 0; x < FRAME_W; x++) {
          const k = 1 - 0.3 * cloudAt(x + cam.x, y + cam.y, t);
          for (let c = 0; c < 3; c++) bg.data[3 * (y * FRAME_W + x) + c] = Math.round(bg.data[3 * (y * FRAME_W + x) + c] * k);
        }
      }
    }
    const gt = { width: FRAME_W, height: FRAME_H, data: Uint8Array.from(bg.data) };
    const frame = { width: FRAME_W, height: FRAME_H, data: Uint8Array.from(bg.data) };
    let other: GrayImage | null = null;
    if (kind === 'distractor') {
      // The other object is part of the scene: in the truth and in the frame, never masked.
      const o = spriteLayer(sprite, OTHER, t);
      other = o.support;
      for (let i = 0; i < FRAME_W * FRAME_H; i++) {
        if (!o.support.data[i]) continue;
        for (let c = 0; c < 3; c++) gt.data[3 * i + c] = frame.data[3 * i + c] = 255 - o.rgb.data[3 * i + c];
      }
      exclude.push(paintBoxInto(boxOf(o.support, 3)));
    }
    const layer = spriteLayer(sprite, PATH, t);
    let mask = layer.support;
    let region = mask;
    if (kind === 'shadow') {
      // Shadow first (it falls on the ground, under the object): a darkened, blurred, offset silhouette.
      const off = { x: 16, y: 12 };
      const sil = new Float32Array(FRAME_W * FRAME_H);
      for (let y = 0; y < FRAME_H; y++) {
        for (let x = 0; x < FRAME_W; x++) {
          const sx = x - off.x;
          const sy = y - off.y;
          if (sx >= 0 && sy >= 0 && sx < FRAME_W && sy < FRAME_H && layer.support.data[sy * FRAME_W + sx]) sil[y * FRAME_W + x] = 1;
        }
      }
      const soft = blurAlpha(sil, 3);
      const shadowMask = blank();
      for (let i = 0; i < soft.length; i++) {
        if (soft[i] <= 0) continue;
        const k = 1 - 0.45 * soft[i];
        for (let c = 0; c < 3; c++) frame.data[3 * i + c] = Math.round(frame.data[3 * i + c] * k);
        if (soft[i] > 0.02) shadowMask.data[i] = 255;
      }
      region = blank();
      for (let i = 0; i < region.data.length; i++) region.data[i] = shadowMask.data[i] | mask.data[i] ? 255 : 0;
    }
    if (kind === 'soft-edge') {
      const alpha = softAlpha(layer.support, PATH.vx * 0.5);
      mask = blank();
      for (let i = 0; i < alpha.length; i++) {
        const a = alpha[i];
        if (a <= 0) continue;
        // The sprite's colour spreads with its blur: sample it from the nearest painted pixel's row.
        const src = layer.support.data[i] ? i : nearestSet(layer.support, i);
        for (let c = 0; c < 3; c++) frame.data[3 * i + c] = Math.round(frame.data[3 * i + c] * (1 - a) + layer.rgb.data[3 * src + c] * a);
        if (a >= 0.5) mask.data[i] = 255;
      }
      region = grow(mask, 2);
    } else {
      for (let i = 0; i < FRAME_W * FRAME_H; i++) if (layer.support.data[i]) frame.data.set(layer.rgb.data.subarray(3 * i, 3 * i + 3), 3 * i);
    }
    if (other) {
      // Where the other object passes behind the removed one, the truth shows the other object,
      // which no frame shows there: scored apart (behindHole), not as background.
      const behind = blank();
      region = blank();
      for (let i = 0; i < region.data.length; i++) {
        if (!mask.data[i]) continue;
        if (other.data[i]) behind.data[i] = 255;
        else region.data[i] = 255;
      }
      behindHole.push(behind);
    }
    frames.push(frame);
    truth.push(gt);
    masks.push(mask);
    scored.push(region);
  }
  return {
    name: `${background.name}/${kind}`,
    kind,
    lingering: false,
    background: background.name,
    camera,
    frames,
    truth,
    masks,
    scored,
    ...(kind === 'distractor' && { exclude, behindHole }),
  };
}

/** The set pixel nearest to i on its row (for spreading a blurred layer's colour). */
function nearestSet(m: GrayImage, i: number): number {
  const x = i % FRAME_W;
  const row = i - x;
  for (let d = 1; d < FRAME_W; d++) {
    if (x - d >= 0 && m.data[row + x - d]) return row + x - d;
    if (x + d < FRAME_W && m.data[row + x + d]) return row + x + d;
  }
  return i;
}

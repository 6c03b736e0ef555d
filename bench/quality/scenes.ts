import { existsSync } from 'node:fs';
import { runProcess } from '../../src/engine/util/runProcess';
import type { GrayImage, RgbImage } from '../../src/engine/lite/types';

/**
 * Synthetic removals with exact ground truth: a background (real picture or a natural-looking
 * texture ffmpeg generates), seen through a locked-off or panning camera, with textured sprites
 * of known shape moving over it. The truth is the background alone; the mask is the sprites'
 * exact support.
 */
export interface Scene {
  name: string;
  /** True when one object barely moves, so part of the background is never shown and must be invented. */
  lingering: boolean;
  background: string;
  camera: 'locked-off' | 'pan';
  frames: RgbImage[];
  truth: RgbImage[];
  masks: GrayImage[];
}

export const FRAME_W = 400;
export const FRAME_H = 224;
const BG_W = 568;
const BG_H = 320;

async function lavfiImage(graph: string, extraInputs: string[] = []): Promise<RgbImage> {
  const args = ['-v', 'error', ...extraInputs, '-f', 'lavfi', '-i', graph, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  const { stdout } = await runProcess('ffmpeg', args, { what: 'ffmpeg (bench background)' });
  return { width: BG_W, height: BG_H, data: new Uint8Array(stdout) };
}

async function decodeImage(path: string, width: number, height: number): Promise<RgbImage> {
  const { stdout } = await runProcess(
    'ffmpeg',
    ['-v', 'error', '-i', path, '-vf', `scale=${width}:${height}:flags=area`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { what: 'ffmpeg (bench background)' },
  );
  return { width, height, data: new Uint8Array(stdout) };
}

/** Backgrounds: ffmpeg-generated textures always; a real photo frame when the shared fixtures are present. */
export async function loadBackgrounds(photoPath: string | null): Promise<{ name: string; image: RgbImage }[]> {
  const s = `s=${BG_W}x${BG_H}`;
  const out = [
    {
      name: 'organic',
      image: await lavfiImage(
        // A smooth colour field (deterministic geq; ffmpeg 5's gradients source ignores its seed) under blurred noise.
        `nullsrc=${s},geq=r='110+70*sin(X/97+Y/151)':g='130+60*sin(X/181-Y/77+1)':b='90+50*cos((X+Y)/131)',format=rgb24[a];` +
          `color=c=gray:${s},noise=alls=100:allf=0,gblur=sigma=4,eq=contrast=5,format=rgb24[b];[a][b]blend=all_mode=overlay,format=rgb24`,
      ),
    },
    { name: 'fractal', image: await lavfiImage(`mandelbrot=${s}:start_scale=0.3:end_scale=0.3:maxiter=200`) },
    { name: 'cellular', image: await lavfiImage(`cellauto=${s}:rule=30:random_fill_ratio=0.5:random_seed=5,gblur=sigma=1.2,format=rgb24`) },
  ];
  if (photoPath && existsSync(photoPath)) out.unshift({ name: 'photo', image: await decodeImage(photoPath, BG_W, BG_H) });
  return out;
}

export async function loadSpriteTexture(): Promise<RgbImage> {
  const { stdout } = await runProcess(
    'ffmpeg',
    ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=128x128', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { what: 'ffmpeg (bench sprite)' },
  );
  return { width: 128, height: 128, data: new Uint8Array(stdout) };
}

/** Camera window's top-left in the background at frame t (sub-pixel for the pan). */
export function cameraAt(camera: Scene['camera'], t: number, frames: number): { x: number; y: number } {
  if (camera === 'locked-off') return { x: (BG_W - FRAME_W) / 2, y: (BG_H - FRAME_H) / 2 };
  const u = t / Math.max(1, frames - 1);
  return { x: 4 + u * (BG_W - FRAME_W - 8), y: 6 + u * (BG_H - FRAME_H - 12) * 0.6 };
}

export function cropBilinear(bg: RgbImage, ox: number, oy: number): RgbImage {
  const out = new Uint8Array(FRAME_W * FRAME_H * 3);
  const bw = bg.width;
  for (let y = 0; y < FRAME_H; y++) {
    const sy = oy + y;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let x = 0; x < FRAME_W; x++) {
      const sx = ox + x;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const j = (y0 * bw + x0) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const a = bg.data[j + ch];
        const b = bg.data[j + 3 + ch];
        const c = bg.data[j + bw * 3 + ch];
        const d = bg.data[j + bw * 3 + 3 + ch];
        out[(y * FRAME_W + x) * 3 + ch] = Math.round((a + (b - a) * fx) * (1 - fy) + (c + (d - c) * fx) * fy);
      }
    }
  }
  return { width: FRAME_W, height: FRAME_H, data: out };
}

export interface SpritePath {
  radius: number;
  x0: number;
  y0: number;
  vx: number;
  vy: number;
  phase: number;
  /** Vertical wobble amplitude, px. */
  wobble: number;
}

/** Paints a wobbling blob textured from `tex` at its frame-t position; marks its support in `mask`. */
export function paintSprite(frame: RgbImage, mask: GrayImage, tex: RgbImage, p: SpritePath, t: number): void {
  const cx = p.x0 + p.vx * t;
  const cy = p.y0 + p.vy * t + p.wobble * Math.sin(t * 0.5 + p.phase);
  const reach = Math.ceil(p.radius * 1.3);
  for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(FRAME_H - 1, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(FRAME_W - 1, Math.ceil(cx + reach)); x++) {
      const dx = x - cx;
      const dy = y - cy;
      const ang = Math.atan2(dy, dx);
      const r = p.radius * (1 + 0.18 * Math.sin(3 * ang + p.phase + t * 0.3));
      if (dx * dx + dy * dy > r * r) continue;
      const u = Math.abs(Math.round(dx + 64 + t)) % tex.width;
      const v = Math.abs(Math.round(dy + 64)) % tex.height;
      const i = y * FRAME_W + x;
      const j = (v * tex.width + u) * 3;
      frame.data[3 * i] = tex.data[j];
      frame.data[3 * i + 1] = tex.data[j + 1];
      frame.data[3 * i + 2] = tex.data[j + 2];
      mask.data[i] = 255;
    }
  }
}

export function buildScene(
  background: { name: string; image: RgbImage },
  camera: Scene['camera'],
  sprite: RgbImage,
  frameCount: number,
  lingering = false,
): Scene {
  const paths: SpritePath[] = [
    { radius: 34, x0: 60, y0: 90, vx: 13, vy: 1.5, phase: 0, wobble: 6 },
    lingering
      ? { radius: 20, x0: 320, y0: 60, vx: 0.3, vy: 0, phase: 1.7, wobble: 3 }
      : { radius: 20, x0: 320, y0: 20, vx: -2, vy: 7, phase: 1.7, wobble: 6 },
  ];
  const frames: RgbImage[] = [];
  const truth: RgbImage[] = [];
  const masks: GrayImage[] = [];
  for (let t = 0; t < frameCount; t++) {
    const cam = cameraAt(camera, t, frameCount);
    const gt = cropBilinear(background.image, cam.x, cam.y);
    const frame = { width: FRAME_W, height: FRAME_H, data: Uint8Array.from(gt.data) };
    const mask = { width: FRAME_W, height: FRAME_H, data: new Uint8Array(FRAME_W * FRAME_H) };
    for (const p of paths) paintSprite(frame, mask, sprite, p, t);
    frames.push(frame);
    truth.push(gt);
    masks.push(mask);
  }
  return {
    name: `${background.name}/${camera}${lingering ? '+lingering' : ''}`,
    lingering,
    background: background.name,
    camera,
    frames,
    truth,
    masks,
  };
}

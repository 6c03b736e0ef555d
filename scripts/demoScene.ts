/*
 * The demo's footage, drawn here from nothing (so it is ours to redistribute): a camera panning
 * slowly along a roadside — sky, hills, a field and the road, with texture to fill from — while a
 * stop sign (carried past, say) slides across the shot faster than the pan. A stop sign because the
 * bundled COCO detector knows it well: the red octagon, white rim and STOP lettering are what it
 * learnt from. Frames are RGB, drawn per pixel; the sign is supersampled for clean edges.
 */
import type { RgbImage } from '../src/engine/lite/types';
import { encodeFrames } from '../src/engine/media/encode';
import type { FfmpegPaths } from '../src/engine/media/ffmpegLocator';
import type { Frame } from '../src/engine/media/types';

export interface DemoScene {
  width: number;
  height: number;
  frames: number;
  /** The sign's octagon centre and apothem (centre to a flat side) in frame `i`. */
  sign(i: number): { cx: number; cy: number; apothem: number };
  /** Frame `i` (0-based) as packed RGB. */
  frame(i: number): RgbImage;
}

/** A smooth pseudo-random texture in 0..1 (value noise over a hashed lattice, three octaves). */
function noise(x: number, y: number): number {
  const hash = (i: number, j: number) => {
    let h = (i * 374761393 + j * 668265263) | 0;
    h = Math.imul(h ^ (h >>> 13), 1274126177);
    return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
  };
  const smooth = (t: number) => t * t * (3 - 2 * t);
  let total = 0;
  let weight = 0;
  for (let o = 0, f = 1 / 24, w = 1; o < 3; o++, f *= 2, w /= 2) {
    const fx = x * f;
    const fy = y * f;
    const i = Math.floor(fx);
    const j = Math.floor(fy);
    const u = smooth(fx - i);
    const v = smooth(fy - j);
    const a = hash(i, j) + (hash(i + 1, j) - hash(i, j)) * u;
    const b = hash(i, j + 1) + (hash(i + 1, j + 1) - hash(i, j + 1)) * u;
    total += (a + (b - a) * v) * w;
    weight += w;
  }
  return total / weight;
}

const mix = (a: readonly number[], b: readonly number[], t: number) => a.map((v, k) => v + (b[k] - v) * t);

/** The plate at world position (x, y): what the camera sees with no sign. */
function plate(x: number, y: number, height: number): number[] {
  const horizon = height * 0.45 + Math.sin(x / 90) * height * 0.05 + Math.sin(x / 37 + 1) * height * 0.02;
  const road = height * 0.8;
  const n = noise(x, y);
  if (y < horizon) {
    const t = y / horizon;
    return mix([110, 160, 225], [200, 220, 240], t).map((v) => v + (noise(x / 3, y / 2) - 0.5) * 18);
  }
  if (y < road) return mix([70, 120, 50], [120, 150, 70], n).map((v) => v * (0.85 + 0.3 * ((y - horizon) / (road - horizon))));
  const stripe = y > road + (height - road) * 0.45 && y < road + (height - road) * 0.55 && ((x / 40) | 0) % 2 === 0;
  return stripe ? [225, 220, 200] : mix([80, 80, 85], [120, 118, 115], n);
}

/** Block letters on a 5x7 grid: [column, row, width, height] bars. */
const LETTERS: Record<string, [number, number, number, number][]> = {
  S: [[0, 0, 5, 1], [0, 0, 1, 4], [0, 3, 5, 1], [4, 3, 1, 4], [0, 6, 5, 1]],
  T: [[0, 0, 5, 1], [2, 0, 1, 7]],
  O: [[0, 0, 5, 1], [0, 6, 5, 1], [0, 0, 1, 7], [4, 0, 1, 7]],
  P: [[0, 0, 5, 1], [0, 0, 1, 7], [0, 3, 5, 1], [4, 0, 1, 4]],
};

/** What the sign paints at (dx, dy) from its centre (apothem a), or null where it is not. */
function signColour(dx: number, dy: number, a: number): number[] | null {
  // A regular octagon with flat sides facing up, down, left and right: inside if within the apothem of every side.
  let d = 0;
  for (let k = 0; k < 8; k++) d = Math.max(d, dx * Math.cos((k * Math.PI) / 4) + dy * Math.sin((k * Math.PI) / 4));
  if (d > a) return null;
  if (d > a * 0.9) return [245, 245, 245];
  // "STOP" across the middle: 4 letters of 5 columns with 1-column gaps, 23 columns over 1.5 apothems.
  const cell = (1.5 * a) / 23;
  const col = (dx + 11.5 * cell) / cell;
  const row = (dy + 3.5 * cell) / cell;
  if (row >= 0 && row < 7 && col >= 0 && col < 23) {
    const letter = 'STOP'[Math.floor(col / 6)];
    const c = col % 6;
    if (letter && c < 5 && LETTERS[letter].some(([x, y, w, h]) => c >= x && c < x + w && row >= y && row < y + h)) return [245, 245, 245];
  }
  return [200, 20, 30];
}

export function demoScene(width = 640, height = 360, frames = 40): DemoScene {
  const apothem = Math.round(height * 0.14);
  /** The camera pans 3 px a frame; the sign crosses from the left third to the right third. */
  const pan = (i: number) => 200 + i * 3;
  const sign = (i: number) => ({ cx: width * 0.25 + (i / Math.max(1, frames - 1)) * width * 0.5, cy: height * 0.42 + Math.sin(i / 6) * 6, apothem });
  return {
    width,
    height,
    frames,
    sign,
    frame(i) {
      const data = new Uint8Array(width * height * 3);
      const s = sign(i);
      const ox = pan(i);
      const reach = s.apothem * 1.1;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          let rgb = plate(x + ox, y, height);
          if (Math.abs(x - s.cx) <= reach && Math.abs(y - s.cy) <= reach) {
            // 4x4 supersampling: the sign's edges and letters blend into the plate as a lens would.
            const sum = [0, 0, 0];
            for (let sy = 0; sy < 4; sy++) {
              for (let sx = 0; sx < 4; sx++) {
                const c = signColour(x + (sx + 0.5) / 4 - 0.5 - s.cx, y + (sy + 0.5) / 4 - 0.5 - s.cy, s.apothem) ?? rgb;
                for (let k = 0; k < 3; k++) sum[k] += c[k];
              }
            }
            rgb = sum.map((v) => v / 16);
          }
          const o = (y * width + x) * 3;
          for (let k = 0; k < 3; k++) data[o + k] = Math.max(0, Math.min(255, Math.round(rgb[k])));
        }
      }
      return { width, height, data };
    },
  };
}

/** The demo's frame rate. */
export const DEMO_FPS = { num: 25, den: 1 } as const;

/**
 * Writes the scene as an H.264 clip tagged BT.709, through the engine's own encoder (so it runs
 * with whichever ffmpeg the locator found, the npm-shipped 4.1 build included).
 */
export async function renderDemoClip(scene: DemoScene, output: string, ffmpeg?: FfmpegPaths): Promise<void> {
  async function* frames(): AsyncIterable<Frame> {
    for (let i = 0; i < scene.frames; i++) {
      const f = scene.frame(i);
      yield { index: i, sourceIndex: i, time: { num: i * DEMO_FPS.den, den: DEMO_FPS.num }, width: f.width, height: f.height, channels: 3, data: f.data };
    }
  }
  await encodeFrames(frames(), {
    output,
    codec: 'h264',
    width: scene.width,
    height: scene.height,
    fps: DEMO_FPS,
    colour: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' },
    overwrite: true,
    ...(ffmpeg && { ffmpeg }),
    stage: 'the demo clip',
  });
}

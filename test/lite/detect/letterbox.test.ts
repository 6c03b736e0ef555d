import { describe, expect, it } from 'vitest';
import { frameBoxToInputCorners, inputCornersToFrameBox, letterboxFor } from '../../../src/engine/lite/detect/letterbox';
import { LetterboxResampler } from '../../../src/engine/lite/detect/resampleToInput';
import type { RgbImage } from '../../../src/engine/lite/types';

function flat(width: number, height: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, data };
}

describe('letterboxFor', () => {
  it('fits a landscape frame to the width and centres it vertically', () => {
    expect(letterboxFor(568, 320, 512, 512)).toEqual({
      frameWidth: 568, frameHeight: 320, inputWidth: 512, inputHeight: 512,
      contentWidth: 512, contentHeight: 288, padX: 0, padY: 112,
    });
    const hd = letterboxFor(1920, 1080, 416, 416);
    expect([hd.contentWidth, hd.contentHeight, hd.padX, hd.padY]).toEqual([416, 234, 0, 91]);
  });

  it('fits a portrait frame to the height and centres it horizontally', () => {
    const lb = letterboxFor(320, 568, 512, 512);
    expect([lb.contentWidth, lb.contentHeight, lb.padX, lb.padY]).toEqual([288, 512, 112, 0]);
  });

  it('fills the input exactly when the aspect matches, upscaling small frames', () => {
    const lb = letterboxFor(100, 100, 512, 512);
    expect([lb.contentWidth, lb.contentHeight, lb.padX, lb.padY]).toEqual([512, 512, 0, 0]);
  });

  it('rejects empty sizes', () => {
    expect(() => letterboxFor(0, 10, 512, 512)).toThrow(/positive/);
  });
});

describe('box mapping', () => {
  it('maps frame boxes into the input and back exactly', () => {
    for (const [w, h] of [[568, 320], [1920, 1080], [333, 777], [641, 479]]) {
      const lb = letterboxFor(w, h, 512, 512);
      const box = { x: w * 0.2, y: h * 0.3, width: w * 0.25, height: h * 0.4 };
      const [x1, y1, x2, y2] = frameBoxToInputCorners(lb, box);
      const back = inputCornersToFrameBox(lb, x1, y1, x2, y2)!;
      expect(back.x).toBeCloseTo(box.x, 9);
      expect(back.y).toBeCloseTo(box.y, 9);
      expect(back.width).toBeCloseTo(box.width, 9);
      expect(back.height).toBeCloseTo(box.height, 9);
    }
  });

  it('uses the padding: the input content corner is the frame origin', () => {
    const lb = letterboxFor(568, 320, 512, 512);
    const b = inputCornersToFrameBox(lb, 0, 112, 256, 256)!;
    expect(b.x).toBe(0);
    expect(b.y).toBe(0);
    expect(b.width).toBeCloseTo(284, 9);
    expect(b.height).toBeCloseTo(160, 9);
  });

  it('clips boxes reaching into the padding and drops boxes wholly inside it', () => {
    const lb = letterboxFor(568, 320, 512, 512);
    const b = inputCornersToFrameBox(lb, -10, 50, 100, 200)!;
    expect(b.x).toBe(0);
    expect(b.y).toBe(0);
    expect(b.height).toBeCloseTo((200 - 112) * (320 / 288), 9);
    expect(inputCornersToFrameBox(lb, 10, 10, 100, 100)).toBeNull(); // all above the content
    expect(inputCornersToFrameBox(lb, 10, 420, 100, 500)).toBeNull(); // all below it
  });

  it('accepts corners in either order', () => {
    const lb = letterboxFor(568, 320, 512, 512);
    expect(inputCornersToFrameBox(lb, 200, 300, 100, 200)).toEqual(inputCornersToFrameBox(lb, 100, 200, 200, 300));
  });
});

describe('LetterboxResampler', () => {
  it('keeps a flat colour flat inside the content and pads with zero', () => {
    const lb = letterboxFor(1920, 1080, 512, 512);
    const out = new LetterboxResampler(lb).run(flat(1920, 1080, [200, 100, 50]), new Float32Array(512 * 512 * 3));
    const at = (x: number, y: number) => Array.from(out.subarray((y * 512 + x) * 3, (y * 512 + x) * 3 + 3));
    for (const [x, y] of [[0, lb.padY], [511, lb.padY + lb.contentHeight - 1], [256, 256]]) {
      const [r, g, b] = at(x, y);
      expect(r).toBeCloseTo(200, 3);
      expect(g).toBeCloseTo(100, 3);
      expect(b).toBeCloseTo(50, 3);
    }
    expect(at(10, lb.padY - 1)).toEqual([0, 0, 0]);
    expect(at(10, lb.padY + lb.contentHeight)).toEqual([0, 0, 0]);
  });

  it('puts a bright square where the box mapping says, for downscale and upscale', () => {
    for (const [w, h] of [[1920, 1080], [200, 150]]) {
      const frame = flat(w, h, [0, 0, 0]);
      const box = { x: Math.round(w * 0.6), y: Math.round(h * 0.2), width: Math.round(w * 0.2), height: Math.round(h * 0.3) };
      for (let y = box.y; y < box.y + box.height; y++) {
        for (let x = box.x; x < box.x + box.width; x++) frame.data.fill(255, (y * w + x) * 3, (y * w + x) * 3 + 3);
      }
      const lb = letterboxFor(w, h, 512, 512);
      const out = new LetterboxResampler(lb).run(frame, new Float32Array(512 * 512 * 3));
      // Centroid and mass of the bright area in the input vs. the mapped box.
      let mass = 0;
      let cx = 0;
      let cy = 0;
      for (let y = 0; y < 512; y++) {
        for (let x = 0; x < 512; x++) {
          const v = out[(y * 512 + x) * 3] / 255;
          mass += v;
          cx += v * (x + 0.5);
          cy += v * (y + 0.5);
        }
      }
      const [x1, y1, x2, y2] = frameBoxToInputCorners(lb, box);
      expect(cx / mass).toBeCloseTo((x1 + x2) / 2, 0);
      expect(cy / mass).toBeCloseTo((y1 + y2) / 2, 0);
      expect(mass / ((x2 - x1) * (y2 - y1))).toBeCloseTo(1, 1);
    }
  });

  it('refuses a frame of another size', () => {
    const rs = new LetterboxResampler(letterboxFor(100, 50, 64, 64));
    expect(() => rs.run(flat(50, 100, [1, 2, 3]), new Float32Array(64 * 64 * 3))).toThrow(/100x50/);
  });
});

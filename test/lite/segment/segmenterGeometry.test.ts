import { afterAll, describe, expect, it } from 'vitest';
import { createSegmenter } from '../../../src/engine/lite/segment/createPersonSegmenter';
import { maskGrid, type PixelRect } from '../../../src/engine/lite/segment/segmentationCrop';
import type { Box, RgbImage } from '../../../src/engine/lite/types';
import { frameWithRed, redIsPerson } from './redIsPerson';

/**
 * Checks the soft mask over `box` against the red rectangle: exactly the rectangle at the 128
 * threshold (but for its blurred corners), and exactly 255 inside / 0 outside farther than
 * `edgeBlur` pixels from its edge.
 * Shrinking the crop by a factor s into the input blurs an edge by the resampler's support (s
 * pixels) and scaling the answer back by one input pixel (s again): edgeBlur is 2s + 1, or 2 when
 * the crop is enlarged.
 */
function expectMaskOnRed(mask: Uint8Array, box: Box, frame: RgbImage, red: PixelRect, edgeBlur: number) {
  const g = maskGrid(box);
  expect(mask).toHaveLength(g.width * g.height);
  let wrong = 0;
  let notFlat = 0;
  for (let v = 0; v < g.height; v++) {
    for (let u = 0; u < g.width; u++) {
      const x = g.x + u;
      const y = g.y + v;
      const m = mask[v * g.width + u];
      if (x < 0 || y < 0 || x >= frame.width || y >= frame.height) {
        expect(m).toBe(0);
        continue;
      }
      const inside = x >= red.x && x < red.x + red.width && y >= red.y && y < red.y + red.height;
      // Distances from the pixel's centre to the lines of the rectangle's sides.
      const dx = Math.min(Math.abs(x + 0.5 - red.x), Math.abs(x + 0.5 - red.x - red.width));
      const dy = Math.min(Math.abs(y + 0.5 - red.y), Math.abs(y + 0.5 - red.y - red.height));
      // Blur rounds corners (a corner pixel keeps about a quarter of its value), so they are exempt.
      const nearCorner = dx < edgeBlur && dy < edgeBlur;
      if ((m >= 128) !== inside && !nearCorner) wrong++;
      const nearEdge = (dx < edgeBlur && y >= red.y - edgeBlur && y < red.y + red.height + edgeBlur) || (dy < edgeBlur && x >= red.x - edgeBlur && x < red.x + red.width + edgeBlur);
      if (!nearEdge && m !== (inside ? 255 : 0)) notFlat++;
    }
  }
  expect({ wrong, notFlat }).toEqual({ wrong: 0, notFlat: 0 });
}

const square = createSegmenter(redIsPerson(256, 256));
const landscape = createSegmenter(redIsPerson(256, 144), { margin: 0.1 });
afterAll(() => {
  square.dispose();
  landscape.dispose();
});

describe('segmenter geometry (a stand-in model that marks red pixels)', () => {
  it('maps the output back onto exactly the red region of a fractional box, upscaled into the input', async () => {
    const frame = frameWithRed(300, 200, { x: 100, y: 50, width: 40, height: 100 });
    const box = { x: 90.3, y: 40.6, width: 60.2, height: 120.4 };
    expectMaskOnRed(await square.segment(frame, box), box, frame, { x: 100, y: 50, width: 40, height: 100 }, 2);
  });

  it('does the same for a large box shrunk into the input, in a 1080p frame', async () => {
    const red = { x: 800, y: 200, width: 300, height: 700 };
    const frame = frameWithRed(1920, 1080, red);
    const box = { x: 760.7, y: 150.2, width: 390.5, height: 800.9 };
    // The crop is 1202x1080 (squared, clipped to the frame's height), shrunk 4.7x into 256x230.
    expectMaskOnRed(await square.segment(frame, box), box, frame, red, 11);
  });

  it('keeps the geometry where the crop meets the frame edge and the box leaves the frame', async () => {
    const red = { x: 0, y: 10, width: 25, height: 60 };
    const frame = frameWithRed(160, 90, red);
    const box = { x: -12.4, y: 4, width: 50, height: 80 };
    expectMaskOnRed(await square.segment(frame, box), box, frame, red, 2);
  });

  it('keeps the geometry for a landscape input, where the portrait crop is letterboxed', async () => {
    const red = { x: 300, y: 40, width: 30, height: 200 };
    const frame = frameWithRed(640, 360, red);
    // The crop is 16:9 from the frame, 360 tall at most: clipped, so the letterbox pads its sides.
    const box = { x: 280, y: 20, width: 70, height: 300 };
    // The crop is the whole 640x360 frame, shrunk 2.5x into 256x144.
    expectMaskOnRed(await landscape.segment(frame, box), box, frame, red, 6);
  });

  it('answers an all-zero mask for a box wholly outside the frame and an empty one for an empty box', async () => {
    const frame = frameWithRed(100, 100, { x: 0, y: 0, width: 100, height: 100 });
    const off = await square.segment(frame, { x: 120, y: 10, width: 20, height: 30 });
    expect(off).toEqual(new Uint8Array(20 * 30));
    expect(await square.segment(frame, { x: 10, y: 10, width: 0.4, height: 30 })).toHaveLength(0);
  });

  it('gives the same masks when called concurrently as one at a time', async () => {
    const red = { x: 40, y: 30, width: 20, height: 50 };
    const frame = frameWithRed(200, 120, red);
    const boxes = [
      { x: 30, y: 20, width: 40, height: 70 },
      { x: 35.5, y: 25.5, width: 60, height: 80 },
      { x: 10, y: 0, width: 100, height: 120 },
    ];
    const together = await Promise.all(boxes.map((b) => square.segment(frame, b)));
    for (let i = 0; i < boxes.length; i++) expect(together[i]).toEqual(await square.segment(frame, boxes[i]));
  });
});

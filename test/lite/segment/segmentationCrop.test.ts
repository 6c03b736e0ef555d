import { describe, expect, it } from 'vitest';
import { contextRect, copyRect, intersectRects, maskGrid } from '../../../src/engine/lite/segment/segmentationCrop';

describe('maskGrid', () => {
  it('rounds the corner and the size, as Detection.mask is laid out', () => {
    expect(maskGrid({ x: 10.4, y: 20.6, width: 30.5, height: 40.49 })).toEqual({ x: 10, y: 21, width: 31, height: 40 });
  });
});

describe('intersectRects', () => {
  it('gives the shared part, or null when the rectangles only touch', () => {
    expect(intersectRects({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: -3, width: 10, height: 6 })).toEqual({ x: 5, y: 0, width: 5, height: 3 });
    expect(intersectRects({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 5, height: 5 })).toBeNull();
  });
});

describe('contextRect', () => {
  it('grows a portrait box by the margin and squares it about its centre', () => {
    const r = contextRect({ x: 100, y: 100, width: 50, height: 100 }, 1000, 1000, 1, 0.25)!;
    // 100 tall + 25% each side = 150; squared: 150 x 150, centred on (125, 150).
    expect(r).toEqual({ x: 50, y: 75, width: 150, height: 150 });
  });

  it('widens a landscape input aspect from the height', () => {
    const r = contextRect({ x: 100, y: 100, width: 50, height: 100 }, 1000, 1000, 2, 0)!;
    expect([r.width, r.height]).toEqual([200, 100]);
  });

  it('slides the rectangle back inside the frame rather than padding, keeping the box in it', () => {
    const r = contextRect({ x: 2, y: 150, width: 40, height: 80 }, 400, 240, 1, 0.25)!;
    expect(r).toEqual({ x: 0, y: 120, width: 120, height: 120 });
  });

  it('clips a rectangle larger than the frame to the frame', () => {
    expect(contextRect({ x: 10, y: 0, width: 80, height: 100 }, 300, 100, 1, 0.25)).toEqual({ x: 0, y: 0, width: 150, height: 100 });
  });

  it('is null for a box wholly outside the frame', () => {
    expect(contextRect({ x: -50, y: 10, width: 40, height: 40 }, 100, 100, 1, 0.25)).toBeNull();
    expect(contextRect({ x: 10, y: 100, width: 40, height: 40 }, 100, 100, 1, 0.25)).toBeNull();
  });
});

describe('copyRect', () => {
  it('copies the rows of the rectangle', () => {
    const frame = { width: 4, height: 3, data: Uint8Array.from({ length: 36 }, (_, i) => i) };
    expect(Array.from(copyRect(frame, { x: 1, y: 1, width: 2, height: 2 }).data)).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
  });

  it('refuses a rectangle reaching outside the frame', () => {
    const frame = { width: 4, height: 3, data: new Uint8Array(36) };
    expect(() => copyRect(frame, { x: 3, y: 0, width: 2, height: 1 })).toThrow(/not inside 4x3/);
  });
});

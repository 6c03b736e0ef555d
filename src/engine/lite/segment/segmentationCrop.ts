import type { Box, RgbImage } from '../types';

/** A rectangle of whole pixels [x, x + width) x [y, y + height). */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The pixel grid a box's soft mask covers, as Detection.mask defines it: the box's corner and
 * size each rounded (paintSoftMask in mask/rasterizeBox.ts reads it the same way).
 */
export function maskGrid(box: Box): PixelRect {
  return { x: Math.round(box.x), y: Math.round(box.y), width: Math.max(0, Math.round(box.width)), height: Math.max(0, Math.round(box.height)) };
}

/** The part two rectangles share; null when they do not overlap. */
export function intersectRects(a: PixelRect, b: PixelRect): PixelRect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const width = Math.min(a.x + a.width, b.x + b.width) - x;
  const height = Math.min(a.y + a.height, b.y + b.height) - y;
  return width > 0 && height > 0 ? { x, y, width, height } : null;
}

/**
 * The part of the frame a segmentation model is shown for one box: the box grown by `margin` (a
 * fraction of its width and height, each side), then widened or heightened about its centre to
 * the model's input aspect so the person is not stretched. A detector's box hugs the person (or
 * cuts off a hand), and a segmentation model decides better with some surroundings in view.
 * Where that rectangle crosses the frame's edge it is slid back inside, so the context comes from
 * real pixels rather than padding; only a crop larger than the frame is clipped. Null when the
 * box lies wholly outside the frame.
 */
export function contextRect(box: Box, frameWidth: number, frameHeight: number, aspect: number, margin: number): PixelRect | null {
  if (!(aspect > 0) || !(margin >= 0)) throw new Error(`contextRect: bad aspect ${aspect} or margin ${margin}`);
  const frame = { x: 0, y: 0, width: frameWidth, height: frameHeight };
  const inFrame = intersectRects(
    { x: Math.floor(box.x), y: Math.floor(box.y), width: Math.ceil(box.x + box.width) - Math.floor(box.x), height: Math.ceil(box.y + box.height) - Math.floor(box.y) },
    frame,
  );
  if (!inFrame) return null;
  let w = box.width * (1 + 2 * margin);
  let h = box.height * (1 + 2 * margin);
  if (w / h < aspect) w = h * aspect;
  else h = w / aspect;
  const width = Math.min(frameWidth, Math.max(1, Math.ceil(w)));
  const height = Math.min(frameHeight, Math.max(1, Math.ceil(h)));
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const x = Math.min(frameWidth - width, Math.max(0, Math.round(cx - width / 2)));
  const y = Math.min(frameHeight - height, Math.max(0, Math.round(cy - height / 2)));
  return { x, y, width, height };
}

/** A copy of `rect`'s pixels (which must lie inside the frame) as an image of their own. */
export function copyRect(frame: RgbImage, rect: PixelRect): RgbImage {
  if (rect.x < 0 || rect.y < 0 || rect.x + rect.width > frame.width || rect.y + rect.height > frame.height) {
    throw new Error(`copyRect: ${rect.width}x${rect.height}+${rect.x}+${rect.y} is not inside ${frame.width}x${frame.height}`);
  }
  if (frame.data.length < frame.width * frame.height * 3) throw new Error('frame data shorter than width*height*3');
  const data = new Uint8Array(rect.width * rect.height * 3);
  const rowBytes = rect.width * 3;
  for (let v = 0; v < rect.height; v++) {
    const from = ((rect.y + v) * frame.width + rect.x) * 3;
    data.set(frame.data.subarray(from, from + rowBytes), v * rowBytes);
  }
  return { width: rect.width, height: rect.height, data };
}

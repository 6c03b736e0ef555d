import type { Box } from '../types';

/**
 * Where a frame lands inside a detector's square input when its aspect ratio is kept: scaled to
 * fit, centred, the rest padded. Keeping the aspect matters: on two-birds (568x320) CenterNet
 * scored both birds in all 18 frames at 0.42..0.69 letterboxed, but stretched to 512x512 (what
 * the model's original wrapper does) it missed the second bird in 6 frames and scored 0.16..0.62.
 */
export interface Letterbox {
  frameWidth: number;
  frameHeight: number;
  inputWidth: number;
  inputHeight: number;
  /** The frame's size inside the input, whole pixels. */
  contentWidth: number;
  contentHeight: number;
  /** Offset of the content's top-left corner inside the input. */
  padX: number;
  padY: number;
}

export function letterboxFor(frameWidth: number, frameHeight: number, inputWidth: number, inputHeight: number): Letterbox {
  if (!(frameWidth > 0 && frameHeight > 0 && inputWidth > 0 && inputHeight > 0)) {
    throw new Error(`letterboxFor: sizes must be positive (frame ${frameWidth}x${frameHeight}, input ${inputWidth}x${inputHeight})`);
  }
  const scale = Math.min(inputWidth / frameWidth, inputHeight / frameHeight);
  const contentWidth = Math.max(1, Math.min(inputWidth, Math.round(frameWidth * scale)));
  const contentHeight = Math.max(1, Math.min(inputHeight, Math.round(frameHeight * scale)));
  return {
    frameWidth,
    frameHeight,
    inputWidth,
    inputHeight,
    contentWidth,
    contentHeight,
    padX: Math.floor((inputWidth - contentWidth) / 2),
    padY: Math.floor((inputHeight - contentHeight) / 2),
  };
}

/**
 * A box given by corners in input pixels, mapped back to frame pixels and clipped to the frame.
 * Each axis uses its own exact factor (content size / frame size) because rounding the content
 * size makes the two factors differ slightly; the resampler uses the same factors, so this is the
 * exact inverse of what the model saw. Null when nothing of the box lies inside the frame.
 */
export function inputCornersToFrameBox(lb: Letterbox, x1: number, y1: number, x2: number, y2: number): Box | null {
  const sx = lb.frameWidth / lb.contentWidth;
  const sy = lb.frameHeight / lb.contentHeight;
  const left = Math.max(0, (Math.min(x1, x2) - lb.padX) * sx);
  const top = Math.max(0, (Math.min(y1, y2) - lb.padY) * sy);
  const right = Math.min(lb.frameWidth, (Math.max(x1, x2) - lb.padX) * sx);
  const bottom = Math.min(lb.frameHeight, (Math.max(y1, y2) - lb.padY) * sy);
  if (!(right > left && bottom > top)) return null;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The forward mapping of a frame box into input pixels (corners); the inverse of inputCornersToFrameBox. */
export function frameBoxToInputCorners(lb: Letterbox, box: Box): [number, number, number, number] {
  const sx = lb.contentWidth / lb.frameWidth;
  const sy = lb.contentHeight / lb.frameHeight;
  return [
    lb.padX + box.x * sx,
    lb.padY + box.y * sy,
    lb.padX + (box.x + box.width) * sx,
    lb.padY + (box.y + box.height) * sy,
  ];
}

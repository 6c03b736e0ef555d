import { LacunaError } from '../../util/errors';
import type { GrayImage } from '../types';
import { dilateDisk } from '../../image/diskDilation';
import { closeTemporalGaps } from './morphology';

/**
 * Removal masks from a user's matte (`--mask`): one grey frame per clip frame, or a single image
 * for the whole clip; white (≥ threshold) = remove. A matte at another resolution of the same
 * shape is scaled (nearest neighbour, so its edge stays where the user drew it); anything that
 * cannot be matched to the clip is refused with an error saying what to fix, never guessed.
 */
export interface MatteOptions {
  /** Matte values at or above this remove the pixel (default 128). */
  threshold?: number;
  /** Margin grown around the matte, in clip pixels (default 0: fill exactly the given region). */
  dilate?: number;
}

export function masksFromMatte(
  matte: GrayImage[],
  clip: { width: number; height: number; frameCount: number },
  options: MatteOptions = {},
): GrayImage[] {
  if (matte.length === 0) {
    throw new LacunaError('BAD_ARGUMENT', 'the mask has no frames', 'Pass a matte video or image sequence, or a single image for the whole clip.');
  }
  if (matte.length !== 1 && matte.length !== clip.frameCount) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `the mask has ${matte.length} frames but the clip has ${clip.frameCount}`,
      'Give one matte frame per clip frame (same range), or a single image to use for every frame.',
    );
  }
  const { width: mw, height: mh } = matte[0];
  for (const m of matte) {
    if (m.width !== mw || m.height !== mh) {
      throw new LacunaError('BAD_ARGUMENT', 'the mask frames differ in size', 'Every matte frame must have the same resolution.');
    }
  }
  if (Math.abs(mw / mh - clip.width / clip.height) > 0.01 * (clip.width / clip.height)) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `the mask is ${mw}x${mh} but the clip is ${clip.width}x${clip.height} (a different shape)`,
      'Export the matte at the clip’s resolution or at a scaled copy of it (same aspect ratio).',
    );
  }
  const threshold = options.threshold ?? 128;
  const binarised = matte.map((m) => scaleNearest(m, clip.width, clip.height, threshold));
  const grown = binarised.map((m) => ((options.dilate ?? 0) > 0 ? dilateDisk(m, options.dilate ?? 0) : m));
  if (grown.every((m) => !m.data.some((v) => v !== 0))) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `the mask is empty: no pixel is at or above ${threshold}`,
      'Paint the region to remove white (255) on black; check that the matte is not inverted.',
    );
  }
  // One image for every frame: each frame still gets a mask of its own (a later step may change one).
  const perFrame = grown.length === 1 ? Array.from({ length: clip.frameCount }, () => ({ ...grown[0], data: grown[0].data.slice() })) : grown;
  return closeTemporalGaps(perFrame);
}

function scaleNearest(m: GrayImage, width: number, height: number, threshold: number): GrayImage {
  const out = new Uint8Array(width * height);
  const xs = new Int32Array(width);
  for (let x = 0; x < width; x++) xs[x] = Math.min(m.width - 1, Math.floor(((x + 0.5) * m.width) / width));
  for (let y = 0; y < height; y++) {
    const row = Math.min(m.height - 1, Math.floor(((y + 0.5) * m.height) / height)) * m.width;
    for (let x = 0; x < width; x++) out[y * width + x] = m.data[row + xs[x]] >= threshold ? 255 : 0;
  }
  return { width, height, data: out };
}

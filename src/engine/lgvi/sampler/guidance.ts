// InstructPix2Pix's three-way classifier-free guidance, as LGVI uses it. Each step runs the U-Net on
//   1. (prompt, source latents)  -> e_text
//   2. ("",     source latents)  -> e_image
//   3. ("",     zero latents)    -> e_uncond
// and combines e = e_uncond + g_text (e_text - e_image) + g_image (e_image - e_uncond).
// Guidance is on when g_text > 1 and g_image >= 1 (the reference's rule); otherwise one pass (1).
import { combine3 } from '../schedulers/linearCombination';

/** How the three passes reach the U-Net: one batch of 3 (fast, more memory) or three batches of 1 (the reference's choice, least memory). */
export type GuidanceBatch = 'together' | 'separate';

export interface GuidanceScales {
  readonly text: number;
  readonly image: number;
}

export function guidanceOn(scales: GuidanceScales): boolean {
  return scales.text > 1 && scales.image >= 1;
}

/** Writes the combined prediction into `out` (may alias one of the inputs). All arrays have one window's length. */
export function combineGuidance(eText: Float32Array, eImage: Float32Array, eUncond: Float32Array, scales: GuidanceScales, out: Float32Array): Float32Array {
  // Expanded: e = g_text·e_text + (g_image - g_text)·e_image + (1 - g_image)·e_uncond.
  const gt = scales.text;
  const gi = scales.image;
  return combine3(out, gt, eText, gi - gt, eImage, 1 - gi, eUncond);
}

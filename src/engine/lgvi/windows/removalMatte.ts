// From the mask head's soft output to the composite's alpha at source resolution:
//   1. temporal smoothing: each frame's soft mask becomes (prev + 2 cur + next) / 4, so a pixel
//      that the head is unsure about for one frame does not blink in and out (which shows as a
//      flash of the object, or of the fill);
//   2. upsampling to the source size (bilinear on the soft values, so edges follow the head's
//      contour instead of its 8x8 latent blocks), then the decision at 0.5;
//   3. the user's dilation (grow by N source pixels: shadows, motion blur, halos) and feathering
//      (soften the edge inside the dilated mask), shared with the Lite engine.
// Outside the resulting alpha (0) the source pixels are copied bit-exact by compositeFill.
import { featherMask } from '../../lite/mask/feather';
import { dilateMask } from '../../lite/mask/morphology';
import type { GrayImage } from '../../lite/types';
import { resampleBilinear } from '../sampler/bilinear';

/** The mask head's value above which a pixel is removed. */
export const MASK_THRESHOLD = 0.5;

/** Smooths soft masks over time with one frame of look-ahead; the clip's ends repeat their frame. */
export class TemporalMaskSmoother {
  private prev: Float32Array | undefined;
  private cur: Float32Array | undefined;

  /** Adds the next frame's mask; returns the smoothed mask of the frame before it (none for the first). */
  push(mask: Float32Array): Float32Array | undefined {
    const out = this.cur ? this.smooth(this.prev ?? this.cur, this.cur, mask) : undefined;
    this.prev = this.cur;
    this.cur = mask;
    return out;
  }

  /** The last frame's smoothed mask, at the end of the clip. */
  flush(): Float32Array | undefined {
    if (!this.cur) return undefined;
    const out = this.smooth(this.prev ?? this.cur, this.cur, this.cur);
    this.prev = this.cur = undefined;
    return out;
  }

  private smooth(a: Float32Array, b: Float32Array, c: Float32Array): Float32Array {
    const out = new Float32Array(b.length);
    for (let i = 0; i < b.length; i++) out[i] = 0.25 * a[i] + 0.5 * b[i] + 0.25 * c[i];
    return out;
  }
}

export interface MatteOptions {
  readonly dilate: number;
  readonly feather: number;
}

export interface SourceMatte {
  /** Composite alpha at source size: 0 keeps the source byte for byte, 255 takes the fill. */
  readonly alpha: GrayImage;
  /** Fraction of the frame the head marked (after smoothing, before dilation). */
  readonly coverage: number;
}

/** The source-size alpha for one frame's (smoothed) soft mask. */
export function sourceMatte(mask: Float32Array, maskWidth: number, maskHeight: number, width: number, height: number, options: MatteOptions): SourceMatte {
  const binary = new Uint8Array(width * height);
  let marked = 0;
  resampleBilinear(mask, maskWidth, maskHeight, 1, width, height, (i, v) => {
    if (v >= MASK_THRESHOLD) {
      binary[i] = 255;
      marked++;
    }
  });
  const dilated = dilateMask({ width, height, data: binary }, options.dilate);
  return { alpha: featherMask(dilated, options.feather), coverage: marked / (width * height) };
}

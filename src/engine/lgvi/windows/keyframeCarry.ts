// With a frame stride, the frames between two key frames get their fill and mask from those two
// key frames: linear interpolation in time of the generated picture and of the soft mask. This
// is a cross-fade, not motion-compensated propagation: it is right for static backgrounds and slow
// motion (what stride is meant for: the model's training frames were 5 apart) and blurs the fill
// under fast motion; outside the mask the source stays bit-exact either way.
import type { BlendedKeyframe } from './windowBlender';

export interface CarriedFrame {
  /** Frame index within the range. */
  readonly frame: number;
  readonly rgb: Float32Array;
  readonly mask: Float32Array;
  /** True for a key frame the model saw, false for one carried from its neighbours. */
  readonly sampled: boolean;
}

function lerp(a: Float32Array, b: Float32Array, t: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + (b[i] - a[i]) * t;
  return out;
}

/** Feeds key frames in order; gets back every frame up to and including each key frame, in order. */
export class KeyframeCarry {
  private previous: BlendedKeyframe | undefined;

  push(key: BlendedKeyframe): CarriedFrame[] {
    const out: CarriedFrame[] = [];
    const prev = this.previous;
    if (prev) {
      const gap = key.frame - prev.frame;
      for (let f = prev.frame + 1; f < key.frame; f++) {
        const t = (f - prev.frame) / gap;
        out.push({ frame: f, rgb: lerp(prev.rgb, key.rgb, t), mask: lerp(prev.mask, key.mask, t), sampled: false });
      }
    } else if (key.frame !== 0) {
      throw new Error(`KeyframeCarry: the first key frame must be frame 0, got ${key.frame}`);
    }
    out.push({ frame: key.frame, rgb: key.rgb, mask: key.mask, sampled: true });
    this.previous = key;
    return out;
  }
}

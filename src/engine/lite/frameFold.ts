import { wordsOf } from '../image/byteWords';
import type { Frame } from '../media/types';
import type { FillAdditions } from './fillAdditions';
import type { GrayImage } from './types';

/** One frame of one window after masking and filling, with the mask it was filled under. */
export interface FilledFrame {
  frame: Frame;
  mask: GrayImage;
  /** The decoded source frame the fill started from (may be `frame.data` itself where nothing was filled). */
  source?: Uint8Array;
}

/** The frames a window hands on (liteWindowPlan's `output`), in order, and the window's index in the plan. */
export interface FilledWindow {
  index: number;
  frames: FilledFrame[];
  /** What the fill added to the window's masks (soft edges, a shadow), for the take's explanation. */
  additions?: FillAdditions;
}

/**
 * The blend of one frame that several windows filled. The first window's fill is kept with its
 * blend weight; each later window's fill is cross-faded into it where the two differ (outside the
 * masks both are the source's bytes, so those stay exact), and the masks are unioned for the
 * matte. The order is the plan's window order: the local render and the render farm's join both
 * fold through this, so they give the same bytes.
 */
export class FrameFold {
  readonly frame: Frame;
  readonly mask: GrayImage;
  constructor(
    first: FilledFrame,
    /** The first window's blend weight at this frame. */
    readonly weight: number,
  ) {
    this.frame = first.frame;
    this.mask = first.mask;
  }

  add(next: FilledFrame): void {
    const x = this.frame.data;
    const y = next.frame.data;
    const wa = this.weight;
    const blend = (i: number) => {
      if (x[i] !== y[i]) x[i] = Math.round(x[i] * wa + y[i] * (1 - wa));
    };
    const into = this.mask.data;
    const other = next.mask.data;
    const union = (i: number) => {
      if (other[i] > into[i]) into[i] = other[i];
    };
    // Four bytes at a time where the fills agree (everywhere but near the holes) and where the
    // other mask is empty; the same bytes as the plain loops.
    const xw = wordsOf(x);
    const yw = wordsOf(y);
    if (xw && yw && x.length === y.length) {
      for (let w = 0; w < xw.length; w++) if (xw[w] !== yw[w]) for (let i = 4 * w; i < 4 * w + 4; i++) blend(i);
    } else {
      for (let i = 0; i < x.length; i++) blend(i);
    }
    const ow = wordsOf(other);
    if (ow && into.length === other.length) {
      for (let w = 0; w < ow.length; w++) if (ow[w] !== 0) for (let i = 4 * w; i < 4 * w + 4; i++) union(i);
    } else {
      for (let i = 0; i < into.length; i++) union(i);
    }
  }
}

import { wordsOf } from '../../image/byteWords';
import type { GrayImage } from '../types';

/**
 * Mask morphology over time (dilation, the same in every engine, is image/diskDilation.ts): the
 * temporal close stops a pixel from blinking back for one frame between two frames where it is
 * removed (a detector missing one frame, a segmenter wobbling), which would show as a flash of the
 * object in the output.
 */

/**
 * A pixel removed in frames f-1 and f+1 is removed in f too (max(m[f], min(m[f-1], m[f+1]))). A
 * frame with no gap to close is returned as it is (most frames of a moving object have none), the
 * others as copies: the inputs are never changed.
 */
export function closeTemporalGaps(masks: GrayImage[]): GrayImage[] {
  return masks.map((m, f) => {
    if (f === 0 || f === masks.length - 1) return m;
    const out = closeGap(masks[f - 1].data, m.data, masks[f + 1].data);
    return out ? { width: m.width, height: m.height, data: out } : m;
  });
}

/**
 * One frame of closeTemporalGaps: `d` with max(d, min(a, b)) where its neighbours `a` and `b`
 * close a gap. Into `out` when given (holding a copy of `d`); else into a copy made only when
 * something closes. Null when nothing did and no `out` was given.
 */
export function closeGap(a: Uint8Array, d: Uint8Array, b: Uint8Array, out: Uint8Array | null = null): Uint8Array | null {
  let into = out;
  const close = (i: number) => {
    const both = a[i] < b[i] ? a[i] : b[i];
    if (both <= (into ?? d)[i]) return;
    into ??= Uint8Array.from(d);
    into[i] = both;
  };
  const wa = wordsOf(a);
  const wb = wordsOf(b);
  if (wa && wb && a.length === b.length) {
    // Four pixels at a time where either neighbour is empty there (nothing to close).
    for (let w = 0; w < wa.length; w++) if (wa[w] !== 0 && wb[w] !== 0) for (let i = 4 * w; i < 4 * w + 4; i++) close(i);
  } else {
    for (let i = 0; i < d.length; i++) close(i);
  }
  return into;
}

/** Union (pixel-wise maximum) of masks of the same size. */
export function unionMasks(width: number, height: number, masks: GrayImage[]): GrayImage {
  const out = new Uint8Array(width * height);
  for (const m of masks) {
    const d = m.data;
    for (let i = 0; i < out.length; i++) if (d[i] > out[i]) out[i] = d[i];
  }
  return { width, height, data: out };
}

import type { RgbImage } from './imageMetrics';
import { consistentFlow, denseFlow, warpBack } from './opticalFlow';

/**
 * The flow-warping error of one pair of consecutive frames (Lai et al., "Learning Blind Video
 * Temporal Consistency", 2018), the temporal-stability figure of the LGVI paper's tables:
 *   E_warp(t) = Σ M(i) ‖R_t(i) − W(R_{t+1})(i)‖² / Σ M(i)
 * with RGB in 0..1, W warping frame t+1 back onto frame t by the flow t → t+1, and M the pixels
 * whose flow the backward flow confirms. The flow is measured on the ground truth, so a result is
 * held to the scene's real motion rather than to motion it invented itself; the truth's own figure
 * comes with it (interpolation and occlusion leave it above zero).
 */
export function warpingError(truth: { prev: RgbImage; next: RgbImage }, result: { prev: RgbImage; next: RgbImage }): { result: number; truth: number; trusted: number } {
  const forward = denseFlow(truth.prev, truth.next);
  const backward = denseFlow(truth.next, truth.prev);
  const trusted = consistentFlow(forward, backward);
  const err = (pair: { prev: RgbImage; next: RgbImage }) => {
    const back = warpBack(pair.next, forward);
    const a = pair.prev.data;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < trusted.length; i++) {
      if (!trusted[i]) continue;
      const d0 = (a[3 * i] - back[3 * i]) / 255;
      const d1 = (a[3 * i + 1] - back[3 * i + 1]) / 255;
      const d2 = (a[3 * i + 2] - back[3 * i + 2]) / 255;
      sum += d0 * d0 + d1 * d1 + d2 * d2;
      n++;
    }
    return n > 0 ? sum / n : 0;
  };
  let count = 0;
  for (let i = 0; i < trusted.length; i++) count += trusted[i];
  return { result: err(result), truth: err(truth), trusted: count / trusted.length };
}

import { dilateDisk } from '../image/diskDilation';
import type { GrayImage } from '../image/grayImage';
import { flickerBetween, holeSquaredError, psnrFrom, ssimLuma, type RgbImage } from './imageMetrics';
import { warpingError } from './warpError';

/**
 * A clip's scores against its ground truth, pooled over frames as video-inpainting papers report
 * them: PSNR from the clip's mean squared error, SSIM as the mean of per-frame maps, E_warp as the
 * mean over consecutive pairs, flicker as the mean over pixels and pairs. "hole" figures are over
 * the matte's pixels (grown by `maskGrow`); without a matte they are null.
 */
export interface ClipScores {
  frames: number;
  width: number;
  height: number;
  /** Share of the clip's pixels inside the (grown) hole; null without a matte. */
  holeShare: number | null;
  psnr: { frame: number; hole: number | null };
  ssim: { frame: number; hole: number | null };
  /**
   * Flow-warping error between consecutive result frames (Lai et al. 2018, as in the LGVI paper's
   * tables), ×10⁻²: mean over trusted pixels of the squared RGB difference (values in 0..1) between
   * frame t and frame t+1 warped back by the flow. `truth` is the same figure for the ground truth,
   * the floor a perfect result reaches on this clip. Null for a one-frame clip.
   */
  ewarp: { result: number; truth: number } | null;
  /** Mean |Δ result − Δ truth| of luma (0..255) between consecutive frames; null for one frame. */
  flicker: { frame: number; hole: number | null } | null;
  /** How E_warp's flow was measured (so a figure can be compared with others'). */
  flow: string;
}

export const FLOW_DESCRIPTION =
  "dense coarse-to-fine Lucas-Kanade (Lacuna's own, src/engine/eval/opticalFlow.ts) on the ground truth's luma at <= 480 px, forward-backward checked";

interface Held {
  result: RgbImage;
  truth: RgbImage;
  hole: GrayImage | null;
}

export class ClipScorer {
  private frames = 0;
  private size: { width: number; height: number } | null = null;
  private prev: Held | null = null;
  private se = { frame: 0, frameN: 0, hole: 0, holeN: 0 };
  private ssim = { frame: 0, frameN: 0, hole: 0, holeN: 0 };
  private flick = { frame: 0, frameN: 0, hole: 0, holeN: 0 };
  private warp = { result: 0, truth: 0, pairs: 0 };
  private holePixels = 0;
  private withMask: boolean | null = null;

  constructor(private readonly options: { maskGrow?: number } = {}) {}

  /** Adds frame t (result, its truth, and its matte if any: > 0 = hole). */
  add(result: RgbImage, truth: RgbImage, matte: GrayImage | null): void {
    const { width, height } = truth;
    if (result.width !== width || result.height !== height) throw new Error(`frame ${this.frames}: the result is ${result.width}x${result.height}, the ground truth ${width}x${height}`);
    if (matte && (matte.width !== width || matte.height !== height)) throw new Error(`frame ${this.frames}: the matte is ${matte.width}x${matte.height}, the frames ${width}x${height}`);
    if (this.withMask === null) this.withMask = matte !== null;
    else if (this.withMask !== (matte !== null)) throw new Error(`frame ${this.frames}: a matte for some frames only`);
    this.size ??= { width, height };
    const hole = matte ? dilateDisk(matte, this.options.maskGrow ?? 0) : null;
    const all = holeSquaredError(result, truth, null);
    this.se.frame += all.sum;
    this.se.frameN += all.count;
    const s = ssimLuma(result, truth, null);
    this.ssim.frame += s.sum / s.count;
    this.ssim.frameN++;
    if (hole) {
      const e = holeSquaredError(result, truth, hole);
      this.se.hole += e.sum;
      this.se.holeN += e.count;
      this.holePixels += e.count / 3;
      if (e.count > 0) {
        const sh = ssimLuma(result, truth, hole);
        this.ssim.hole += sh.sum / sh.count;
        this.ssim.holeN++;
      }
    }
    if (this.prev) {
      const f = flickerBetween(this.prev.result, result, this.prev.truth, truth, null, null);
      this.flick.frame += f.sum;
      this.flick.frameN += f.count;
      if (hole && this.prev.hole) {
        const fh = flickerBetween(this.prev.result, result, this.prev.truth, truth, this.prev.hole, hole);
        this.flick.hole += fh.sum;
        this.flick.holeN += fh.count;
      }
      const w = warpingError({ prev: this.prev.truth, next: truth }, { prev: this.prev.result, next: result });
      this.warp.result += w.result;
      this.warp.truth += w.truth;
      this.warp.pairs++;
    }
    this.prev = { result, truth, hole };
    this.frames++;
  }

  finish(): ClipScores {
    if (!this.size) throw new Error('no frames to score');
    const { width, height } = this.size;
    const mean = (s: number, n: number) => (n > 0 ? s / n : NaN);
    const masked = this.withMask === true;
    return {
      frames: this.frames,
      width,
      height,
      holeShare: masked ? this.holePixels / (this.frames * width * height) : null,
      psnr: { frame: psnrFrom(this.se.frame, this.se.frameN), hole: masked ? psnrFrom(this.se.hole, this.se.holeN) : null },
      ssim: { frame: mean(this.ssim.frame, this.ssim.frameN), hole: masked ? mean(this.ssim.hole, this.ssim.holeN) : null },
      ewarp: this.warp.pairs > 0 ? { result: (100 * this.warp.result) / this.warp.pairs, truth: (100 * this.warp.truth) / this.warp.pairs } : null,
      flicker: this.frames > 1 ? { frame: mean(this.flick.frame, this.flick.frameN), hole: masked ? mean(this.flick.hole, this.flick.holeN) : null } : null,
      flow: FLOW_DESCRIPTION,
    };
  }
}

import type { RgbImage } from '../types';
import type { Letterbox } from './letterbox';

/**
 * Resamples a frame into a detector's letterboxed input: RGB float 0..255, HWC, padding 0. The
 * filter is a separable triangle whose support widens with the reduction factor (an
 * area-averaging bilinear), so a 1080p frame shrunk 3.75x to 512 wide is antialiased rather than
 * point-sampled as tf.image.resizeBilinear would do; it also keeps the frame out of tfjs memory
 * (a 1080p frame as an int32 tensor is 24 MB), and only the 512x512 result is uploaded.
 */

interface AxisTaps {
  /** First source index each output sample reads. */
  first: Int32Array;
  /** How many source samples it reads. */
  count: Int32Array;
  /** Weights, `maxTaps` slots per output sample, normalised to sum to 1. */
  weights: Float32Array;
  maxTaps: number;
}

function axisTaps(srcLength: number, dstLength: number): AxisTaps {
  const scale = srcLength / dstLength;
  const support = Math.max(1, scale);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(dstLength);
  const count = new Int32Array(dstLength);
  const weights = new Float32Array(dstLength * maxTaps);
  for (let i = 0; i < dstLength; i++) {
    const centre = (i + 0.5) * scale - 0.5;
    const lo = Math.max(0, Math.floor(centre - support) + 1);
    const hi = Math.min(srcLength - 1, Math.ceil(centre + support) - 1);
    let sum = 0;
    let n = 0;
    for (let j = lo; j <= hi && n < maxTaps; j++, n++) {
      const w = Math.max(0, 1 - Math.abs(j - centre) / support);
      weights[i * maxTaps + n] = w;
      sum += w;
    }
    if (sum === 0) {
      // Only at a degenerate 1-pixel source: take the nearest sample.
      weights[i * maxTaps] = 1;
      n = 1;
      sum = 1;
    }
    for (let k = 0; k < n; k++) weights[i * maxTaps + k] /= sum;
    first[i] = lo;
    count[i] = n;
  }
  return { first, count, weights, maxTaps };
}

/** Reusable resampler for one frame size into one letterbox; `run` writes into `out` (inputWidth*inputHeight*3). */
export class LetterboxResampler {
  private readonly xTaps: AxisTaps;
  private readonly yTaps: AxisTaps;
  private readonly rows: Float32Array;

  constructor(readonly letterbox: Letterbox) {
    this.xTaps = axisTaps(letterbox.frameWidth, letterbox.contentWidth);
    this.yTaps = axisTaps(letterbox.frameHeight, letterbox.contentHeight);
    this.rows = new Float32Array(letterbox.frameHeight * letterbox.contentWidth * 3);
  }

  run(frame: RgbImage, out: Float32Array): Float32Array {
    const lb = this.letterbox;
    if (frame.width !== lb.frameWidth || frame.height !== lb.frameHeight) {
      throw new Error(`resampler built for ${lb.frameWidth}x${lb.frameHeight}, got ${frame.width}x${frame.height}`);
    }
    if (frame.data.length < frame.width * frame.height * 3) throw new Error('frame data shorter than width*height*3');
    if (out.length !== lb.inputWidth * lb.inputHeight * 3) throw new Error('output buffer has the wrong size');
    const src = frame.data;
    const rows = this.rows;
    const cw = lb.contentWidth;
    const { first: xf, count: xc, weights: xw, maxTaps: xm } = this.xTaps;
    // Horizontal pass: every source row to content width.
    for (let y = 0; y < lb.frameHeight; y++) {
      const srcRow = y * lb.frameWidth * 3;
      const dstRow = y * cw * 3;
      for (let x = 0; x < cw; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        let s = srcRow + xf[x] * 3;
        const wBase = x * xm;
        for (let k = 0; k < xc[x]; k++, s += 3) {
          const w = xw[wBase + k];
          r += w * src[s];
          g += w * src[s + 1];
          b += w * src[s + 2];
        }
        const d = dstRow + x * 3;
        rows[d] = r;
        rows[d + 1] = g;
        rows[d + 2] = b;
      }
    }
    // Vertical pass into the padded input.
    out.fill(0);
    const { first: yf, count: yc, weights: yw, maxTaps: ym } = this.yTaps;
    const rowStride = cw * 3;
    for (let y = 0; y < lb.contentHeight; y++) {
      const dstRow = ((lb.padY + y) * lb.inputWidth + lb.padX) * 3;
      const wBase = y * ym;
      for (let k = 0; k < yc[y]; k++) {
        const w = yw[wBase + k];
        const srcRow = (yf[y] + k) * rowStride;
        for (let i = 0; i < rowStride; i++) out[dstRow + i] += w * rows[srcRow + i];
      }
    }
    return out;
  }
}

// Bilinear resampling with half-pixel centres and no antialiasing: what the LGVI reference uses to
// bring frames to the working size (torch's interpolate(mode="bilinear", align_corners=False)),
// and what the engine uses to bring the mask head's output and the generated picture up to the
// source size. Taps are computed once per axis; a destination region can be computed alone (the
// part of a 4K frame a mask covers), with the same values it has in the full-size result.
//
// Separable evaluation: every output row mixes two source rows, each interpolated horizontally
// first (BilinearRows). When upsampling, consecutive output rows share their source rows (1080
// rows from 320), so each source row is interpolated once instead of once per output row; the
// arithmetic per value is unchanged, so results are the same to the last bit.

export interface BilinearTaps {
  /** Lower source index per output index. */
  readonly lo: Int32Array;
  /** Upper source index (lo + 1, or lo at the edge). */
  readonly hi: Int32Array;
  /** Weight of `hi`; `lo` gets 1 - frac. */
  readonly frac: Float32Array;
}

/** Source positions and weights for resampling `srcLen` samples to `dstLen` (half-pixel centres, edges clamped). */
export function bilinearTaps(srcLen: number, dstLen: number): BilinearTaps {
  const lo = new Int32Array(dstLen);
  const hi = new Int32Array(dstLen);
  const frac = new Float32Array(dstLen);
  const scale = srcLen / dstLen;
  for (let i = 0; i < dstLen; i++) {
    const x = Math.min(srcLen - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    const x0 = Math.floor(x);
    lo[i] = x0;
    hi[i] = Math.min(srcLen - 1, x0 + 1);
    frac[i] = x - x0;
  }
  return { lo, hi, frac };
}

/** A rectangle of pixels [x, x + width) x [y, y + height). */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Source rows interpolated horizontally onto the destination columns [x0, x1), with a two-row
 * cache: `select(lo, hi)` makes `top` and `bottom` the rows `lo` and `hi`, computing only the ones
 * not already held. Values are kept in doubles, exactly as the direct per-pixel formula has them.
 */
export class BilinearRows {
  top!: Float64Array;
  bottom!: Float64Array;
  private readonly slots: [Float64Array, Float64Array];
  private readonly keys = [-1, -1];
  private readonly xs: BilinearTaps;

  constructor(
    private readonly src: Uint8Array | Float32Array,
    private readonly srcWidth: number,
    private readonly channels: 1 | 3,
    dstWidth: number,
    private readonly x0: number,
    private readonly x1: number,
  ) {
    this.xs = bilinearTaps(srcWidth, dstWidth);
    const length = (x1 - x0) * channels;
    this.slots = [new Float64Array(length), new Float64Array(length)];
  }

  select(lo: number, hi: number): void {
    this.top = this.slotFor(lo, hi);
    this.bottom = this.slotFor(hi, lo);
  }

  /** The slot holding row `row`, filling the one not holding `keep` if neither does. */
  private slotFor(row: number, keep: number): Float64Array {
    if (this.keys[0] === row) return this.slots[0];
    if (this.keys[1] === row) return this.slots[1];
    const s = this.keys[0] === keep && keep !== row ? 1 : 0;
    this.keys[s] = row;
    this.fill(this.slots[s], row);
    return this.slots[s];
  }

  private fill(out: Float64Array, row: number): void {
    const { src, x0, x1 } = this;
    const { lo, hi, frac } = this.xs;
    const base = row * this.srcWidth * this.channels;
    let o = 0;
    // One loop per channel count (the two the engine uses), each with the formula the per-pixel
    // resampler always had, so the results stay bit-identical.
    if (this.channels === 1) {
      for (let x = x0; x < x1; x++) {
        const a = src[base + lo[x]];
        out[o++] = a + (src[base + hi[x]] - a) * frac[x];
      }
    } else {
      for (let x = x0; x < x1; x++) {
        const c0 = base + lo[x] * 3;
        const c1 = base + hi[x] * 3;
        const fx = frac[x];
        const gx = 1 - fx;
        out[o++] = src[c0] * gx + src[c1] * fx;
        out[o++] = src[c0 + 1] * gx + src[c1 + 1] * fx;
        out[o++] = src[c0 + 2] * gx + src[c1 + 2] * fx;
      }
    }
  }
}

/**
 * Resamples an image of 1 or 3 interleaved values per pixel to dstWidth x dstHeight and returns
 * the values of `region` of the result (default: all of it), interleaved, region-sized.
 */
export function resampleBilinear(
  src: Uint8Array | Float32Array,
  srcWidth: number,
  srcHeight: number,
  channels: 1 | 3,
  dstWidth: number,
  dstHeight: number,
  region: Region = { x: 0, y: 0, width: dstWidth, height: dstHeight },
): Float32Array {
  const ys = bilinearTaps(srcHeight, dstHeight);
  const rows = new BilinearRows(src, srcWidth, channels, dstWidth, region.x, region.x + region.width);
  const rowLength = region.width * channels;
  const out = new Float32Array(rowLength * region.height);
  let o = 0;
  for (let y = region.y; y < region.y + region.height; y++) {
    rows.select(ys.lo[y], ys.hi[y]);
    const { top, bottom } = rows;
    const fy = ys.frac[y];
    const gy = 1 - fy;
    for (let k = 0; k < rowLength; k++) out[o++] = top[k] * gy + bottom[k] * fy;
  }
  return out;
}

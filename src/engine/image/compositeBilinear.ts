// The generated picture (working size, float RGB) put over a source frame (source size, bytes)
// in one pass per row: the fill is resampled bilinearly (image/bilinear.ts) only at the pixels
// the alpha touches and blended there; every other byte of the frame is left as it is.
//
// The values are those of the longer path this replaces (resample the region to float32, round
// to bytes, then the Lite engine's compositeFill rule): alpha 255 takes the fill byte, alpha 0
// keeps the source byte for byte, in between round(s + (f - s) * alpha / 255).
import { BilinearRows, bilinearTaps, type Region } from './bilinear';

export interface BilinearFill {
  /** Interleaved RGB, 0..255 floats. */
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/**
 * Blends `fill`, resampled to the frame's width x height, into `frame` (interleaved RGB bytes,
 * modified in place) over `region`. `alpha` is frame-sized (one byte per pixel); without it the
 * fill replaces every pixel of the region.
 */
export function compositeBilinear(frame: Uint8Array, width: number, height: number, fill: BilinearFill, alpha: Uint8Array | undefined, region: Region): void {
  if (frame.length !== width * height * 3) throw new Error(`compositeBilinear: frame holds ${frame.length} bytes, ${width}x${height} RGB needs ${width * height * 3}`);
  if (alpha && alpha.length !== width * height) throw new Error(`compositeBilinear: alpha holds ${alpha.length} pixels, the frame has ${width * height}`);
  const ys = bilinearTaps(fill.height, height);
  const rows = new BilinearRows(fill.data, fill.width, 3, width, region.x, region.x + region.width);
  const fround = Math.fround;
  const round = Math.round;
  for (let y = region.y; y < region.y + region.height; y++) {
    const rowStart = y * width + region.x;
    if (alpha && !rowTouched(alpha, rowStart, region.width)) continue;
    rows.select(ys.lo[y], ys.hi[y]);
    const { top, bottom } = rows;
    const fy = ys.frac[y];
    const gy = 1 - fy;
    for (let k = 0; k < region.width; k++) {
      const al = alpha ? alpha[rowStart + k] : 255;
      if (al === 0) continue;
      const p = (rowStart + k) * 3;
      const q = k * 3;
      for (let c = 0; c < 3; c++) {
        // The fill byte: the float32 resampled value, rounded (the fill is within 0..255).
        const f = round(fround(top[q + c] * gy + bottom[q + c] * fy));
        if (al === 255) frame[p + c] = f;
        else {
          const s = frame[p + c];
          frame[p + c] = round(s + ((f - s) * al) / 255);
        }
      }
    }
  }
}

/** Whether any alpha of the row's span is non-zero (rows the matte misses need no fill row). */
function rowTouched(alpha: Uint8Array, start: number, length: number): boolean {
  for (let i = start, end = start + length; i < end; i++) if (alpha[i] !== 0) return true;
  return false;
}

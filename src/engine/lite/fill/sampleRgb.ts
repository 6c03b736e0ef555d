/**
 * Sub-pixel RGB sampling for carrying background between frames. Catmull-Rom bicubic where the
 * 4x4 neighbourhood is visible: bilinear interpolation is a low-pass filter that visibly softens
 * fine texture at half-pixel offsets (several dB on a pan), bicubic keeps it. Bilinear where only
 * the 2x2 core is visible; nothing where even that touches a masked pixel, so object pixels never
 * leak into the fill.
 */

const wx = new Float64Array(4);
const wy = new Float64Array(4);

function catmullRom(t: number, w: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  w[0] = 0.5 * (-t3 + 2 * t2 - t);
  w[1] = 0.5 * (3 * t3 - 5 * t2 + 2);
  w[2] = 0.5 * (-3 * t3 + 4 * t2 + t);
  w[3] = 0.5 * (t3 - t2);
}

/**
 * Samples `rgb` (width x height) at (qx, qy) into out[o..o+2]. `hole` (nullable) marks pixels that
 * may not contribute. Returns false when the point is outside the image or its core is masked.
 */
export function sampleRgb(
  rgb: Uint8Array,
  hole: Uint8Array | null,
  width: number,
  height: number,
  qx: number,
  qy: number,
  out: Uint8Array,
  o: number,
): boolean {
  if (!(qx >= 0 && qy >= 0 && qx <= width - 1 && qy <= height - 1)) return false;
  let x0 = Math.floor(qx);
  let y0 = Math.floor(qy);
  if (x0 === width - 1 && x0 > 0) x0--;
  if (y0 === height - 1 && y0 > 0) y0--;
  const fx = qx - x0;
  const fy = qy - y0;
  const i00 = y0 * width + x0;
  if (hole && (hole[i00] || hole[i00 + 1] || hole[i00 + width] || hole[i00 + width + 1])) return false;
  if (fx === 0 && fy === 0) {
    out[o] = rgb[3 * i00];
    out[o + 1] = rgb[3 * i00 + 1];
    out[o + 2] = rgb[3 * i00 + 2];
    return true;
  }
  let cubic = x0 >= 1 && y0 >= 1 && x0 + 2 < width && y0 + 2 < height;
  if (cubic && hole) {
    for (let v = -1; v <= 2 && cubic; v++) {
      const row = (y0 + v) * width + x0;
      for (let u = -1; u <= 2; u++) {
        if (hole[row + u]) {
          cubic = false;
          break;
        }
      }
    }
  }
  if (cubic) {
    catmullRom(fx, wx);
    catmullRom(fy, wy);
    for (let ch = 0; ch < 3; ch++) {
      let s = 0;
      for (let v = 0; v < 4; v++) {
        const row = ((y0 + v - 1) * width + x0 - 1) * 3 + ch;
        s += wy[v] * (wx[0] * rgb[row] + wx[1] * rgb[row + 3] + wx[2] * rgb[row + 6] + wx[3] * rgb[row + 9]);
      }
      out[o + ch] = s <= 0 ? 0 : s >= 255 ? 255 : Math.round(s);
    }
    return true;
  }
  for (let ch = 0; ch < 3; ch++) {
    const a = rgb[i00 * 3 + ch];
    const b = rgb[(i00 + 1) * 3 + ch];
    const c = rgb[(i00 + width) * 3 + ch];
    const d = rgb[(i00 + width + 1) * 3 + ch];
    const top = a + (b - a) * fx;
    const bot = c + (d - c) * fx;
    out[o + ch] = Math.round(top + (bot - top) * fy);
  }
  return true;
}

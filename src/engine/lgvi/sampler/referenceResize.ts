// The reference's frame resize: PIL's Image.resize((W, H), BILINEAR) on 8-bit RGB
// (inference_referring.load_video), reproduced exactly, so the VAE sees what the model was trained
// and evaluated on. PIL's bilinear is a triangle filter whose support widens with the downscale
// factor (an antialiasing resize, unlike 2-tap bilinear), run as two separable passes in fixed
// point, each rounded to 8 bits (libImaging/Resample.c):
//   scale = in/out, filterscale = max(scale, 1), support = filterscale
//   centre_x = (x + 0.5)·scale, taps from floor(centre - support + 0.5) to floor(centre + support + 0.5)
//   weight = max(0, 1 - |(i - centre + 0.5) / filterscale|), normalised to sum 1,
//   then as integers of 22 fractional bits (rounded half away from zero), and each output
//   (Σ in·k + 2^21) >> 22 clamped to 0..255.
// The horizontal pass runs first (when the width changes), then the vertical one (when the height does).

const PRECISION_BITS = 32 - 8 - 2;
const HALF = 1 << (PRECISION_BITS - 1);
const ONE = 2 ** PRECISION_BITS;

interface Taps {
  /** First input index of each output. */
  readonly first: Int32Array;
  /** Tap count of each output. */
  readonly count: Int32Array;
  /** Fixed-point weights, `size` per output. */
  readonly weights: Float64Array;
  readonly size: number;
}

function precomputeTaps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const filterscale = Math.max(scale, 1);
  const support = filterscale; // the bilinear filter's support is 1
  const size = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float64Array(outSize * size);
  const w = new Float64Array(size);
  for (let x = 0; x < outSize; x++) {
    const centre = (x + 0.5) * scale;
    const ss = 1 / filterscale;
    const xmin = Math.max(0, Math.trunc(centre - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(centre + support + 0.5)) - xmin;
    let sum = 0;
    for (let i = 0; i < xmax; i++) {
      const t = Math.abs((i + xmin - centre + 0.5) * ss);
      w[i] = t < 1 ? 1 - t : 0;
      sum += w[i];
    }
    for (let i = 0; i < xmax; i++) {
      const k = sum !== 0 ? w[i] / sum : w[i];
      weights[x * size + i] = k < 0 ? Math.trunc(-0.5 + k * ONE) : Math.trunc(0.5 + k * ONE);
    }
    first[x] = xmin;
    count[x] = xmax;
  }
  return { first, count, weights, size };
}

function clip8(v: number): number {
  const s = Math.floor(v / ONE); // an arithmetic shift by 22 bits, on values past 32 bits too
  return s < 0 ? 0 : s > 255 ? 255 : s;
}

/** Interleaved 8-bit images (`channels` per pixel) resized as PIL's BILINEAR resize does. */
export function pilBilinearResize(src: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: number, outWidth: number, outHeight: number): Uint8Array {
  if (src.length !== width * height * channels) throw new Error(`pilBilinearResize: ${src.length} bytes is not ${width}x${height}x${channels}`);
  let image: Uint8Array | Uint8ClampedArray = src;
  let w = width;
  if (outWidth !== width) {
    const taps = precomputeTaps(width, outWidth);
    const out = new Uint8Array(outWidth * height * channels);
    for (let y = 0; y < height; y++) {
      const row = y * width * channels;
      for (let x = 0; x < outWidth; x++) {
        const base = x * taps.size;
        const x0 = taps.first[x];
        const n = taps.count[x];
        for (let c = 0; c < channels; c++) {
          let ss = HALF;
          for (let i = 0; i < n; i++) ss += image[row + (x0 + i) * channels + c] * taps.weights[base + i];
          out[(y * outWidth + x) * channels + c] = clip8(ss);
        }
      }
    }
    image = out;
    w = outWidth;
  }
  if (outHeight !== height) {
    const taps = precomputeTaps(height, outHeight);
    const out = new Uint8Array(w * outHeight * channels);
    const stride = w * channels;
    for (let y = 0; y < outHeight; y++) {
      const base = y * taps.size;
      const y0 = taps.first[y];
      const n = taps.count[y];
      const dst = y * stride;
      for (let k = 0; k < stride; k++) {
        let ss = HALF;
        for (let i = 0; i < n; i++) ss += image[(y0 + i) * stride + k] * taps.weights[base + i];
        out[dst + k] = clip8(ss);
      }
    }
    image = out;
  }
  return image === src ? Uint8Array.from(src) : (image as Uint8Array);
}

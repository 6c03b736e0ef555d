import { fft2d, nextPowerOfTwo } from './fft2d';
import type { FloatImage } from './floatImage';

/**
 * Whole-frame shift candidates by phase correlation (the normalised cross-power spectrum's peaks).
 * Why: Lucas-Kanade starts from zero motion and converges only within its coarsest level's reach;
 * on repetitive texture (window blinds, tiles, fences) a large move lands it one period off, where
 * it converges just as confidently. Phase correlation scores every shift at once and, being
 * whitened, weighs thin irregular structure (a blind's strings, an edge of the frame) as much as
 * the dominant repetitive texture, so its strongest peaks include the true motion as a starting
 * guess even where tracking alone is fooled; the caller judges the candidates on the pictures.
 */
export interface ShiftCandidate {
  /** Shift of frame a's content in frame b, in the given images' pixels (b(x + dx, y + dy) ≈ a(x, y)). */
  dx: number;
  dy: number;
  /** Correlation peak height (0..1): higher is a more certain shift. */
  score: number;
}

export interface ShiftSearchOptions {
  /** Largest shift reported, as a share of the image's width and height (default 0.3). */
  reach?: number;
  /** How many distinct peaks to return (default 3). */
  count?: number;
}

/** `blockedA`/`blockedB` (nullable, image-sized) mark pixels that may not vote (moving objects). */
export function translationCandidates(
  a: FloatImage,
  b: FloatImage,
  blockedA: Uint8Array | null,
  blockedB: Uint8Array | null,
  options: ShiftSearchOptions = {},
): ShiftCandidate[] {
  const { width: w, height: h } = a;
  // Reported shifts stay under half the padded size, so they cannot alias; the window damps what wraps.
  const pw = nextPowerOfTwo(w);
  const ph = nextPowerOfTwo(h);
  const ar = windowed(a, blockedA, pw, ph);
  const br = windowed(b, blockedB, pw, ph);
  const ai = new Float64Array(pw * ph);
  const bi = new Float64Array(pw * ph);
  fft2d(ar, ai, pw, ph);
  fft2d(br, bi, pw, ph);
  // conj(A) · B / |conj(A) · B|: a pure phase ramp for a pure shift, whose inverse is a spike at it.
  const n = pw * ph;
  for (let k = 0; k < n; k++) {
    const re = ar[k] * br[k] + ai[k] * bi[k];
    const im = ar[k] * bi[k] - ai[k] * br[k];
    const mag = Math.hypot(re, im);
    ar[k] = mag > 1e-12 ? re / mag : 0;
    ai[k] = mag > 1e-12 ? im / mag : 0;
  }
  fft2d(ar, ai, pw, ph, true);
  const reach = options.reach ?? 0.3;
  const rx = Math.round(w * reach);
  const ry = Math.round(h * reach);
  const at = (dx: number, dy: number) => ar[(((dy % ph) + ph) % ph) * pw + (((dx % pw) + pw) % pw)] / n;
  const peaks: ShiftCandidate[] = [];
  for (let dy = -ry; dy <= ry; dy++) {
    for (let dx = -rx; dx <= rx; dx++) {
      const v = at(dx, dy);
      if (v <= 0) continue;
      let isPeak = true;
      for (let u = -1; u <= 1 && isPeak; u++) for (let t = -1; t <= 1; t++) if ((u || t) && at(dx + t, dy + u) > v) isPeak = false;
      if (isPeak) peaks.push({ dx, dy, score: v });
    }
  }
  peaks.sort((p, q) => q.score - p.score);
  return peaks.slice(0, options.count ?? 3);
}

/**
 * The image with its visible mean removed, faded out towards masked pixels and towards the frame's
 * border, in the top-left of a pw x ph zero field. Why the fades: a mask cut out sharply (or
 * filled with anything smooth) leaves a hard-edged hole whose edge has energy at every frequency,
 * and the whitened correlation would match the two frames' holes to each other, at the object's
 * own motion; a gentle fade keeps that edge at the low frequencies, where it is outvoted. The Hann
 * window does the same for the frame's border, which would otherwise correlate at zero shift.
 */
function windowed(img: FloatImage, blocked: Uint8Array | null, pw: number, ph: number): Float64Array {
  const { width: w, height: h, data } = img;
  const fade = blocked ? fadeAwayFrom(blocked, w, h) : null;
  let sum = 0;
  let n = 0;
  for (let i = 0; i < w * h; i++) {
    if (blocked && blocked[i]) continue;
    sum += data[i];
    n++;
  }
  const mean = n ? sum / n : 0;
  const out = new Float64Array(pw * ph);
  for (let y = 0; y < h; y++) {
    const wy = 0.5 - 0.5 * Math.cos((2 * Math.PI * (y + 0.5)) / h);
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const wx = 0.5 - 0.5 * Math.cos((2 * Math.PI * (x + 0.5)) / w);
      out[y * pw + x] = (data[i] - mean) * wx * wy * (fade ? fade[i] : 1);
    }
  }
  return out;
}

/** 0 on masked pixels, rising smoothly to 1 over a few pixels away from them (a blurred, re-stretched visibility). */
function fadeAwayFrom(blocked: Uint8Array, w: number, h: number): Float32Array {
  const v = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) v[i] = blocked[i] ? 0 : 1;
  const radius = Math.max(2, Math.round(Math.max(w, h) / 64));
  const norm = (2 * radius + 1) ** 2;
  for (let pass = 0; pass < 2; pass++) boxBlur(v, w, h, radius);
  for (let i = 0; i < w * h; i++) {
    const t = blocked[i] ? 0 : Math.min(1, Math.max(0, (v[i] / (norm * norm) - 0.5) * 2));
    v[i] = t * t * (3 - 2 * t);
  }
  return v;
}

/** In-place box blur of the given radius along rows, then columns (edges clamp the window). */
function boxBlur(d: Float32Array, w: number, h: number, r: number): void {
  const line = new Float32Array(Math.max(w, h));
  const pass = (count: number, len: number, at: (k: number, i: number) => number) => {
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < len; i++) line[i] = d[at(k, i)];
      let acc = 0;
      for (let i = 0; i <= Math.min(r, len - 1); i++) acc += line[i];
      for (let i = 0; i < len; i++) {
        d[at(k, i)] = acc;
        if (i + r + 1 < len) acc += line[i + r + 1];
        if (i - r >= 0) acc -= line[i - r];
      }
    }
  };
  pass(h, w, (y, x) => y * w + x);
  pass(w, h, (x, y) => y * w + x);
}

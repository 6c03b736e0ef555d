/**
 * Planar homographies: 3x3 matrices (row-major Float64Array(9)) mapping pixel (x, y, 1) of one
 * frame to the homogeneous point in another. A global homography models a camera that pans, tilts,
 * zooms or rolls about its centre (and any motion over a distant scene), which is what hand-held and
 * tripod shots mostly do; it is fitted robustly (RANSAC, then least squares on the inliers) so that
 * points on moving objects and mistracked corners do not bend it.
 */

export type Homography = Float64Array;

export function identityHomography(): Homography {
  return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
}

export function translationHomography(dx: number, dy: number): Homography {
  return Float64Array.of(1, 0, dx, 0, 1, dy, 0, 0, 1);
}

/** a ∘ b: first b, then a. */
export function composeHomographies(a: Homography, b: Homography): Homography {
  const r = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
    }
  }
  return normalizeScale(r);
}

export function invertHomography(h: Homography): Homography {
  const [a, b, c, d, e, f, g, k, l] = h;
  const A = e * l - f * k;
  const B = -(d * l - f * g);
  const C = d * k - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error('homography is singular');
  const r = Float64Array.of(
    A, -(b * l - c * k), b * f - c * e,
    B, a * l - c * g, -(a * f - c * d),
    C, -(a * k - b * g), a * e - b * d,
  );
  for (let i = 0; i < 9; i++) r[i] /= det;
  return normalizeScale(r);
}

function normalizeScale(h: Homography): Homography {
  const s = h[8];
  if (Math.abs(s) > 1e-12) for (let i = 0; i < 9; i++) h[i] /= s;
  return h;
}

/** Maps one point; writes into `out` ([x, y]) to keep hot loops allocation-free. */
export function mapPoint(h: Homography, x: number, y: number, out: Float64Array): void {
  const w = h[6] * x + h[7] * y + h[8];
  out[0] = (h[0] * x + h[1] * y + h[2]) / w;
  out[1] = (h[3] * x + h[4] * y + h[5]) / w;
}

/** Largest displacement the homography causes at the corners and centre of a width x height frame. */
export function maxDisplacement(h: Homography, width: number, height: number): number {
  const p = new Float64Array(2);
  let worst = 0;
  for (const [x, y] of [
    [0, 0],
    [width - 1, 0],
    [0, height - 1],
    [width - 1, height - 1],
    [(width - 1) / 2, (height - 1) / 2],
  ]) {
    mapPoint(h, x, y, p);
    worst = Math.max(worst, Math.hypot(p[0] - x, p[1] - y));
  }
  return worst;
}

/** Point correspondences: src[2i], src[2i+1] maps to dst[2i], dst[2i+1]. */
export interface Correspondences {
  src: Float64Array;
  dst: Float64Array;
  count: number;
}

/**
 * Least-squares homography through the given correspondences (indices into `c`; all when omitted),
 * in Hartley-normalised coordinates so the 8x8 normal equations stay well conditioned. Returns null
 * for degenerate sets (fewer than 4 points, collinear points).
 */
export function fitHomography(c: Correspondences, indices?: ArrayLike<number>): Homography | null {
  const n = indices ? indices.length : c.count;
  if (n < 4) return null;
  const at = (k: number) => (indices ? indices[k] : k);
  const ns = normaliser(c.src, n, at);
  const nd = normaliser(c.dst, n, at);
  // Unknowns h0..h7 with h8 = 1; each point gives two rows of A h = b.
  const ata = new Float64Array(64);
  const atb = new Float64Array(8);
  const row = new Float64Array(8);
  for (let k = 0; k < n; k++) {
    const i = at(k);
    const x = (c.src[2 * i] - ns.cx) * ns.s;
    const y = (c.src[2 * i + 1] - ns.cy) * ns.s;
    const u = (c.dst[2 * i] - nd.cx) * nd.s;
    const v = (c.dst[2 * i + 1] - nd.cy) * nd.s;
    row.set([x, y, 1, 0, 0, 0, -u * x, -u * y]);
    accumulate(ata, atb, row, u);
    row.set([0, 0, 0, x, y, 1, -v * x, -v * y]);
    accumulate(ata, atb, row, v);
  }
  const sol = solveLinear(ata, atb, 8);
  if (!sol) return null;
  const hn = Float64Array.of(sol[0], sol[1], sol[2], sol[3], sol[4], sol[5], sol[6], sol[7], 1);
  // Undo the normalisation: H = Td^-1 * Hn * Ts.
  const ts = Float64Array.of(ns.s, 0, -ns.s * ns.cx, 0, ns.s, -ns.s * ns.cy, 0, 0, 1);
  const tdInv = Float64Array.of(1 / nd.s, 0, nd.cx, 0, 1 / nd.s, nd.cy, 0, 0, 1);
  const h = composeHomographies(tdInv, composeHomographies(hn, ts));
  for (let i = 0; i < 9; i++) if (!Number.isFinite(h[i])) return null;
  return h;
}

function normaliser(p: Float64Array, n: number, at: (k: number) => number) {
  let cx = 0;
  let cy = 0;
  for (let k = 0; k < n; k++) {
    cx += p[2 * at(k)];
    cy += p[2 * at(k) + 1];
  }
  cx /= n;
  cy /= n;
  let d = 0;
  for (let k = 0; k < n; k++) d += Math.hypot(p[2 * at(k)] - cx, p[2 * at(k) + 1] - cy);
  d /= n;
  return { cx, cy, s: d > 1e-9 ? Math.SQRT2 / d : 1 };
}

function accumulate(ata: Float64Array, atb: Float64Array, row: Float64Array, rhs: number): void {
  for (let i = 0; i < 8; i++) {
    const ri = row[i];
    if (ri === 0) continue;
    atb[i] += ri * rhs;
    for (let j = 0; j < 8; j++) ata[i * 8 + j] += ri * row[j];
  }
}

/** Gaussian elimination with partial pivoting; null when singular. Overwrites its inputs. */
function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (Math.abs(a[piv * n + col]) < 1e-10) return null;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        const t = a[col * n + j];
        a[col * n + j] = a[piv * n + j];
        a[piv * n + j] = t;
      }
      const t = b[col];
      b[col] = b[piv];
      b[piv] = t;
    }
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col] / a[col * n + col];
      if (f === 0) continue;
      for (let j = col; j < n; j++) a[r * n + j] -= f * a[col * n + j];
      b[r] -= f * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= a[r * n + j] * x[j];
    x[r] = s / a[r * n + r];
  }
  return x;
}

/** Reprojection error of correspondence i under h, in pixels. */
export function transferError(h: Homography, c: Correspondences, i: number, tmp: Float64Array): number {
  mapPoint(h, c.src[2 * i], c.src[2 * i + 1], tmp);
  return Math.hypot(tmp[0] - c.dst[2 * i], tmp[1] - c.dst[2 * i + 1]);
}

export interface RobustFit {
  homography: Homography;
  inliers: Int32Array;
}

/**
 * RANSAC over minimal 4-point samples (a fixed-seed generator, so a clip always aligns the same
 * way), then two rounds of least squares on the inliers. Null when no model gathers `minInliers`
 * (default 8).
 */
export function ransacHomography(
  c: Correspondences,
  options: { threshold?: number; iterations?: number; seed?: number; minInliers?: number } = {},
): RobustFit | null {
  const threshold = options.threshold ?? 1.5;
  const minInliers = Math.max(4, options.minInliers ?? 8);
  const iterations = options.iterations ?? 400;
  let seed = (options.seed ?? 0x9e3779b9) >>> 0;
  const rand = () => {
    // xorshift32: small, fast and deterministic.
    seed ^= seed << 13;
    seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    seed >>>= 0;
    return seed / 4294967296;
  };
  const n = c.count;
  if (n < minInliers) return null;
  const tmp = new Float64Array(2);
  const sample = new Int32Array(4);
  let best: Homography | null = null;
  let bestCount = 0;
  // Adaptive stop (Fischler & Bolles): once the best model's inlier share w makes an all-inlier
  // sample likely to have been drawn (1 - (1 - w^4)^it > 99.9%), more samples cannot beat it.
  let needed = iterations;
  for (let it = 0; it < Math.min(iterations, needed); it++) {
    for (let k = 0; k < 4; k++) {
      let idx: number;
      do idx = Math.floor(rand() * n);
      while (sample.subarray(0, k).includes(idx));
      sample[k] = idx;
    }
    const h = fitHomography(c, sample);
    if (!h) continue;
    let count = 0;
    for (let i = 0; i < n; i++) if (transferError(h, c, i, tmp) < threshold) count++;
    if (count > bestCount) {
      bestCount = count;
      best = h;
      if (count === n) break;
      const allInlier = (count / n) ** 4;
      needed = Math.ceil(Math.log(0.001) / Math.log(Math.max(1e-12, 1 - allInlier)));
    }
  }
  if (!best || bestCount < minInliers) return null;
  let inliers = collectInliers(best, c, threshold, tmp);
  for (let round = 0; round < 2; round++) {
    const refined = fitHomography(c, inliers);
    if (!refined) break;
    const next = collectInliers(refined, c, threshold, tmp);
    if (next.length < inliers.length) break;
    best = refined;
    inliers = next;
  }
  return { homography: best, inliers };
}

function collectInliers(h: Homography, c: Correspondences, threshold: number, tmp: Float64Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < c.count; i++) if (transferError(h, c, i, tmp) < threshold) out.push(i);
  return Int32Array.from(out);
}

/** The same motion expressed in pixels of an image scaled by `s` (H' = S H S^-1, S = diag(s, s, 1)). */
export function scaleHomography(h: Homography, s: number): Homography {
  return Float64Array.of(h[0], h[1], h[2] * s, h[3], h[4], h[5] * s, h[6] / s, h[7] / s, h[8]);
}

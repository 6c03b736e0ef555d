import type { RgbImage } from './imageMetrics';

/**
 * Dense optical flow for the warping error (E_warp): coarse-to-fine Lucas–Kanade on a luma pyramid,
 * every pixel solving its own 2x2 system over a box window (the sums come from running box filters,
 * so a level costs a few passes over the picture, whatever the window). Our own rather than a
 * library: no kept npm package ships dense flow that runs in Node without native builds, and the
 * metric only needs flow that is right where the picture has texture, checked forward against
 * backward (occluded or untrackable pixels are left out of the error, as in Lai et al. 2018).
 *
 * Flow is measured on copies at most FLOW_SIDE pixels long and scaled back: consecutive frames of
 * a clip move by a few pixels, and the metric's sum is dominated by the picture, not the flow's detail.
 */

export interface FlowField {
  width: number;
  height: number;
  /** Per pixel of frame a, where it is in frame b: (x + u, y + v). */
  u: Float32Array;
  v: Float32Array;
}

const FLOW_SIDE = 480;
const WINDOW_RADIUS = 4;
const ITERATIONS = 4;
const MIN_LEVEL_SIDE = 24;

interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

function lumaOf(img: RgbImage): Plane {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) out[i] = (0.299 * d[3 * i] + 0.587 * d[3 * i + 1] + 0.114 * d[3 * i + 2]) / 255;
  return { width: img.width, height: img.height, data: out };
}

/** Half-size plane by 2x2 averaging (odd edges repeat). */
function halve(p: Plane): Plane {
  const w = Math.max(1, p.width >> 1);
  const h = Math.max(1, p.height >> 1);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.min(p.height - 1, 2 * y);
    const y1 = Math.min(p.height - 1, 2 * y + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.min(p.width - 1, 2 * x);
      const x1 = Math.min(p.width - 1, 2 * x + 1);
      out[y * w + x] = 0.25 * (p.data[y0 * p.width + x0] + p.data[y0 * p.width + x1] + p.data[y1 * p.width + x0] + p.data[y1 * p.width + x1]);
    }
  }
  return { width: w, height: h, data: out };
}

/** Bilinear sample with edge clamping. */
function sample(p: Plane, x: number, y: number): number {
  const w = p.width;
  const h = p.height;
  const cx = x < 0 ? 0 : x > w - 1 ? w - 1 : x;
  const cy = y < 0 ? 0 : y > h - 1 ? h - 1 : y;
  const x0 = Math.min(w - 2 < 0 ? 0 : w - 2, Math.floor(cx));
  const y0 = Math.min(h - 2 < 0 ? 0 : h - 2, Math.floor(cy));
  const tx = w > 1 ? cx - x0 : 0;
  const ty = h > 1 ? cy - y0 : 0;
  const i = y0 * w + x0;
  const dx = w > 1 ? 1 : 0;
  const dy = h > 1 ? w : 0;
  const d = p.data;
  const top = d[i] + (d[i + dx] - d[i]) * tx;
  const bot = d[i + dy] + (d[i + dy + dx] - d[i + dy]) * tx;
  return top + (bot - top) * ty;
}

/** In-place box sum of radius r (clamped at the edges), separable. */
function boxSum(src: Float32Array, w: number, h: number, r: number, tmp: Float32Array): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += src[row + Math.min(w - 1, Math.max(0, k))];
    for (let x = 0; x < w; x++) {
      tmp[row + x] = acc;
      acc += src[row + Math.min(w - 1, x + r + 1)] - src[row + Math.max(0, x - r)];
    }
  }
  for (let x = 0; x < w; x++) {
    let acc = 0;
    for (let k = -r; k <= r; k++) acc += tmp[Math.min(h - 1, Math.max(0, k)) * w + x];
    for (let y = 0; y < h; y++) {
      src[y * w + x] = acc;
      acc += tmp[Math.min(h - 1, y + r + 1) * w + x] - tmp[Math.max(0, y - r) * w + x];
    }
  }
}

function pyramid(p: Plane): Plane[] {
  const levels = [p];
  while (Math.min(levels[levels.length - 1].width, levels[levels.length - 1].height) >= 2 * MIN_LEVEL_SIDE) levels.push(halve(levels[levels.length - 1]));
  return levels;
}

/** Lucas–Kanade refinement of (u, v) on one level: a → b. */
function refineLevel(a: Plane, b: Plane, u: Float32Array, v: Float32Array): void {
  const { width: w, height: h } = a;
  const n = w * h;
  const gx = new Float32Array(n);
  const gy = new Float32Array(n);
  const sxx = new Float32Array(n);
  const sxy = new Float32Array(n);
  const syy = new Float32Array(n);
  const sxt = new Float32Array(n);
  const syt = new Float32Array(n);
  const tmp = new Float32Array(n);
  for (let it = 0; it < ITERATIONS; it++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const bx = x + u[i];
        const by = y + v[i];
        // Gradients averaged over both pictures (a at the pixel, b where it has moved to).
        const ix = 0.25 * (a.data[y * w + Math.min(w - 1, x + 1)] - a.data[y * w + Math.max(0, x - 1)] + sample(b, bx + 1, by) - sample(b, bx - 1, by));
        const iy = 0.25 * (a.data[Math.min(h - 1, y + 1) * w + x] - a.data[Math.max(0, y - 1) * w + x] + sample(b, bx, by + 1) - sample(b, bx, by - 1));
        const d = sample(b, bx, by) - a.data[i];
        gx[i] = ix;
        gy[i] = iy;
        sxx[i] = ix * ix;
        sxy[i] = ix * iy;
        syy[i] = iy * iy;
        sxt[i] = ix * d;
        syt[i] = iy * d;
      }
    }
    for (const s of [sxx, sxy, syy, sxt, syt]) boxSum(s, w, h, WINDOW_RADIUS, tmp);
    for (let i = 0; i < n; i++) {
      // A small ridge keeps flat areas (no texture) from taking a wild step.
      const a11 = sxx[i] + 1e-4;
      const a22 = syy[i] + 1e-4;
      const a12 = sxy[i];
      const det = a11 * a22 - a12 * a12;
      if (det <= 1e-12) continue;
      const du = -(a22 * sxt[i] - a12 * syt[i]) / det;
      const dv = -(a11 * syt[i] - a12 * sxt[i]) / det;
      u[i] += Math.max(-2, Math.min(2, du));
      v[i] += Math.max(-2, Math.min(2, dv));
    }
  }
}

/** Flow from frame a to frame b (both the same size), at most FLOW_SIDE long internally. */
export function denseFlow(a: RgbImage, b: RgbImage, maxSide = FLOW_SIDE): FlowField {
  if (a.width !== b.width || a.height !== b.height) throw new Error('denseFlow: frames differ in size');
  let pa = lumaOf(a);
  let pb = lumaOf(b);
  let scale = 1;
  while (Math.max(pa.width, pa.height) > maxSide) {
    pa = halve(pa);
    pb = halve(pb);
    scale *= 2;
  }
  const la = pyramid(pa);
  const lb = pyramid(pb);
  let u: Float32Array = new Float32Array(la[la.length - 1].width * la[la.length - 1].height);
  let v: Float32Array = new Float32Array(u.length);
  for (let l = la.length - 1; l >= 0; l--) {
    refineLevel(la[l], lb[l], u, v);
    if (l > 0) {
      const up = upsampleFlow({ width: la[l].width, height: la[l].height, u, v }, la[l - 1].width, la[l - 1].height);
      u = up.u;
      v = up.v;
    }
  }
  const small = { width: pa.width, height: pa.height, u, v };
  return scale === 1 ? small : upsampleFlow(small, a.width, a.height);
}

/** Flow resampled to another size, vectors scaled with it. */
export function upsampleFlow(f: FlowField, width: number, height: number): FlowField {
  const sx = f.width / width;
  const sy = f.height / height;
  const u = new Float32Array(width * height);
  const v = new Float32Array(width * height);
  const pu = { width: f.width, height: f.height, data: f.u };
  const pv = { width: f.width, height: f.height, data: f.v };
  for (let y = 0; y < height; y++) {
    const fy = (y + 0.5) * sy - 0.5;
    for (let x = 0; x < width; x++) {
      const fx = (x + 0.5) * sx - 0.5;
      u[y * width + x] = sample(pu, fx, fy) / sx;
      v[y * width + x] = sample(pv, fx, fy) / sy;
    }
  }
  return { width, height, u, v };
}

/**
 * Pixels whose forward flow is confirmed by the backward flow (Sundaram et al. 2010's test):
 * 1 = trusted, 0 = occluded, left the frame, or untrackable.
 */
export function consistentFlow(forward: FlowField, backward: FlowField): Uint8Array {
  const { width: w, height: h } = forward;
  const out = new Uint8Array(w * h);
  const bu = { width: w, height: h, data: backward.u };
  const bv = { width: w, height: h, data: backward.v };
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const fu = forward.u[i];
      const fv = forward.v[i];
      const qx = x + fu;
      const qy = y + fv;
      if (qx < 0 || qy < 0 || qx > w - 1 || qy > h - 1) continue;
      const gu = sample(bu, qx, qy);
      const gv = sample(bv, qx, qy);
      const ex = fu + gu;
      const ey = fv + gv;
      if (ex * ex + ey * ey <= 0.01 * (fu * fu + fv * fv + gu * gu + gv * gv) + 0.5) out[i] = 1;
    }
  }
  return out;
}

/** Frame b sampled at each pixel of a's flow target: b brought back onto a's pixels (RGB, float). */
export function warpBack(b: RgbImage, flow: FlowField): Float32Array {
  const { width: w, height: h } = b;
  const out = new Float32Array(w * h * 3);
  const planes = [0, 1, 2].map((c) => {
    const d = new Float32Array(w * h);
    for (let i = 0; i < w * h; i++) d[i] = b.data[3 * i + c];
    return { width: w, height: h, data: d };
  });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      for (let c = 0; c < 3; c++) out[3 * i + c] = sample(planes[c], x + flow.u[i], y + flow.v[i]);
    }
  }
  return out;
}

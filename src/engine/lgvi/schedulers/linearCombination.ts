// Elementwise linear combinations of latent arrays: the inner loop of every scheduler step and of
// guidance. A step runs 50 times a window on ~250k elements (a million with three guidance
// passes), between two U-Net runs, so it is on the critical path of every window. Folding a
// step's per-element algebra into two or three per-step coefficients, and keeping rarely used
// options (clipping, x0 output) out of these loops, halves a step's time.

/** out[i] = a·x[i] + b·y[i]. `out` may alias either input. */
export function combine2(out: Float32Array, a: number, x: Float32Array, b: number, y: Float32Array): Float32Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = a * x[i] + b * y[i];
  return out;
}

/** out[i] = a·x[i] + b·y[i] + c·z[i]. `out` may alias any input. */
export function combine3(out: Float32Array, a: number, x: Float32Array, b: number, y: Float32Array, c: number, z: Float32Array): Float32Array {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = a * x[i] + b * y[i] + c * z[i];
  return out;
}

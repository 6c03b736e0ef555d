// A small seeded PRNG for fixture weights and test inputs: the same seed gives the same pack bytes
// on every machine, so a checksum in a test or a benchmark result can be compared across runs.
// (mulberry32 for uniforms, Box-Muller for normals; quality is ample for fixtures.)

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal. */
  normal(): number;
  /** Float32Array of uniforms in [lo, hi). */
  uniforms(n: number, lo?: number, hi?: number): Float32Array;
  /** Float32Array of normals times `scale`. */
  normals(n: number, scale?: number): Float32Array;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - next(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal,
    uniforms: (n, lo = 0, hi = 1) => Float32Array.from({ length: n }, () => lo + (hi - lo) * next()),
    normals: (n, scale = 1) => Float32Array.from({ length: n }, () => normal() * scale),
  };
}

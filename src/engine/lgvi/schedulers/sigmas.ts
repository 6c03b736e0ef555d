// The Euler and DPM-Solver schedulers work in the variance-exploding parameterisation of Karras et
// al. 2022: x = x0 + σ·ε with σ_t = sqrt((1 - ᾱ_t) / ᾱ_t), the same noise level as the DDPM
// x_t = sqrt(ᾱ_t)·x0 + sqrt(1 - ᾱ_t)·ε divided by sqrt(ᾱ_t).

/** σ_t for every training timestep t. */
export function sigmasFromAlphasCumprod(alphasCumprod: Float64Array): Float64Array {
  return alphasCumprod.map((a) => Math.sqrt((1 - a) / a));
}

/**
 * The table's value at a fractional index, linearly interpolated and clamped to its ends: numpy's
 * interp(t, arange(len), table), which is how diffusers gets σ at non-integer timesteps.
 */
export function interpolateAt(table: Float64Array, t: number): number {
  if (t <= 0) return table[0];
  const last = table.length - 1;
  if (t >= last) return table[last];
  const i = Math.floor(t);
  const frac = t - i;
  return frac === 0 ? table[i] : table[i] + (table[i + 1] - table[i]) * frac;
}

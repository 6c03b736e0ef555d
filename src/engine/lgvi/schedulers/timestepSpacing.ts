// Which training timesteps an N-step sampling run visits. The reference computes them with numpy,
// and a timestep one off changes ᾱ and so every latent after it, so this reproduces numpy's exact
// arithmetic: linspace as start + k*step with the last value set to stop, float arange as
// start + k*(first difference), and round() as round-half-to-even (np.round(166.5) is 166, not 167).
//
// Two families exist in diffusers: DDIM and the Euler schedulers share one set of formulas
// (`ddpmTimesteps`), DPM-Solver multistep has its own with one extra point (`dpmSolverTimesteps`).

export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';

/** Round half to even, as numpy's round does (JavaScript's Math.round rounds halves up). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** numpy.linspace(start, stop, num) with endpoint, in float64. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out = new Array<number>(num);
  for (let k = 0; k < num; k++) out[k] = step === 0 ? start : k * step + start;
  out[num - 1] = stop;
  return out;
}

/** numpy.arange(start, stop, step) for float arguments: ceil((stop-start)/step) values. */
export function arange(start: number, stop: number, step: number): number[] {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Array<number>(length);
  if (length === 0) return out;
  out[0] = start;
  // numpy fills from the first two values: delta is (start + step) - start, not step itself.
  const delta = start + step - start;
  for (let k = 1; k < length; k++) out[k] = start + k * delta;
  return out;
}

export interface SpacingRequest {
  spacing: TimestepSpacing;
  numTrainTimesteps: number;
  steps: number;
  stepsOffset: number;
}

/**
 * DDIM's and the Euler schedulers' timesteps, descending. `roundLinspace` is DDIM's behaviour
 * (integer timesteps); the Euler schedulers keep linspace's fractional values, as float32.
 *
 * - leading:  (k * floor(N/S)) + steps_offset, k = S-1 .. 0
 * - trailing: round(arange(N, 0, -N/S)) - 1
 * - linspace: linspace(0, N-1, S) reversed (rounded for DDIM)
 */
export function ddpmTimesteps(request: SpacingRequest, roundLinspace: boolean): number[] {
  const { spacing, numTrainTimesteps: n, steps, stepsOffset } = request;
  switch (spacing) {
    case 'linspace':
      return linspace(0, n - 1, steps)
        .map((t) => (roundLinspace ? roundHalfEven(t) : Math.fround(t)))
        .reverse();
    case 'leading': {
      const ratio = Math.floor(n / steps);
      return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + stepsOffset);
    }
    case 'trailing':
      return arange(n, 0, -n / steps).map((t) => roundHalfEven(t) - 1);
  }
}

/**
 * DPM-Solver multistep's timesteps, descending. It spaces S+1 points and drops the last (t = 0),
 * and counts from `lastTimestep` (N, unless lambda_min_clipped cuts the noisiest end):
 *
 * - leading:  (k * floor(last/(S+1))) + steps_offset, k = S .. 1
 * - trailing: round(arange(last, 0, -N/S)) - 1
 * - linspace: round(linspace(0, last-1, S+1)) reversed, without its final 0
 */
export function dpmSolverTimesteps(request: SpacingRequest, lastTimestep: number): number[] {
  const { spacing, numTrainTimesteps: n, steps, stepsOffset } = request;
  switch (spacing) {
    case 'linspace':
      return linspace(0, lastTimestep - 1, steps + 1).map(roundHalfEven).reverse().slice(0, steps);
    case 'leading': {
      const ratio = Math.floor(lastTimestep / (steps + 1));
      return Array.from({ length: steps }, (_, i) => (steps - i) * ratio + stepsOffset);
    }
    case 'trailing':
      return arange(lastTimestep, 0, -n / steps).map((t) => roundHalfEven(t) - 1);
  }
}

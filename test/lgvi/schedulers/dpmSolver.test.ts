// DPM-Solver++(2M) against Lu et al. (2022), alg. 2 (multistep, data prediction), written here
// directly in the VP quantities of the training timesteps, α_t = sqrt(ᾱ_t), σ_t = sqrt(1 - ᾱ_t),
// λ_t = ln(α_t/σ_t), h = λ_next - λ_cur:
//   D = x0 prediction (epsilon: (x - σ ε)/α; v: α x - σ v)
//   first order:  x_next = (σ_next/σ_cur) x - α_next (e^{-h} - 1) D_cur
//   second order: r = (λ_cur - λ_prev)/h, D1 = (D_cur - D_prev)/r,
//                 midpoint: x_next = (σ_next/σ_cur) x - α_next (e^{-h} - 1)(D_cur + D1/2)
//                 heun:     ... - α_next (e^{-h} - 1) D_cur + α_next ((e^{-h} - 1)/h + 1) D1
// The first step is first order (no history); the last is first order when the final σ is 0, when
// euler_at_final is set, or with lower_order_final on runs shorter than 15 steps.
import { describe, expect, it } from 'vitest';
import { DPMSolverMultistepScheduler } from '../../../src/engine/lgvi/schedulers/dpmSolverMultistep';
import { SD_SCHEDULE, sdAlphaBar } from './formulas';

const ab = sdAlphaBar();
const DPM = { _class_name: 'DPMSolverMultistepScheduler', ...SD_SCHEDULE, steps_offset: 1, algorithm_type: 'dpmsolver++', solver_order: 2 };

interface VP {
  alpha: number;
  sigma: number;
  lambda: number;
}
const vpAt = (alphaBar: number): VP => {
  const alpha = Math.sqrt(alphaBar);
  const sigma = Math.sqrt(1 - alphaBar);
  return { alpha, sigma, lambda: Math.log(alpha) - Math.log(sigma) };
};
const CLEAN: VP = { alpha: 1, sigma: 0, lambda: Infinity };

interface ReferenceOptions {
  prediction: 'epsilon' | 'v_prediction';
  solverType: 'midpoint' | 'heun';
  order: 1 | 2;
  finalSigma: 'zero' | 'sigma_min';
  lowerOrderFinal: boolean;
  eulerAtFinal: boolean;
}

/** The whole run in float64 from the equations above, with a toy model m = 0.5 x + 0.05 k. */
function referenceRun(timesteps: readonly number[], x: number[], o: ReferenceOptions): number[] {
  const n = timesteps.length;
  let previous: number[] | undefined;
  let previousLambda = 0;
  for (let i = 0; i < n; i++) {
    const cur = vpAt(ab[timesteps[i]]);
    const next = i + 1 < n ? vpAt(ab[timesteps[i + 1]]) : o.finalSigma === 'zero' ? CLEAN : vpAt(ab[0]);
    const m = x.map((v, k) => 0.5 * v + 0.05 * k);
    const d = x.map((v, k) => (o.prediction === 'epsilon' ? (v - cur.sigma * m[k]) / cur.alpha : cur.alpha * v - cur.sigma * m[k]));
    const h = next.lambda - cur.lambda;
    const isLast = i === n - 1;
    const firstOrder = o.order === 1 || !previous || (isLast && (o.eulerAtFinal || (o.lowerOrderFinal && n < 15) || o.finalSigma === 'zero'));
    const decay = Math.exp(-h) - 1;
    x = x.map((v, k) => {
      const base = (next.sigma / cur.sigma) * v - next.alpha * decay * d[k];
      if (firstOrder || !previous) return base;
      const r = (cur.lambda - previousLambda) / h;
      const d1 = (d[k] - previous[k]) / r;
      return o.solverType === 'midpoint' ? base - 0.5 * next.alpha * decay * d1 : base + next.alpha * (decay / h + 1) * d1;
    });
    previous = d;
    previousLambda = cur.lambda;
  }
  return x;
}

function schedulerRun(config: Record<string, unknown>, steps: number, x: number[]): { timesteps: readonly number[]; out: Float32Array } {
  const s = DPMSolverMultistepScheduler.fromConfig(config);
  s.setTimesteps(steps);
  const latents = Float32Array.from(x);
  const m = new Float32Array(x.length);
  for (const t of s.timesteps) {
    const input = s.scaleModelInput(latents, t);
    for (let k = 0; k < m.length; k++) m[k] = 0.5 * input[k] + 0.05 * k;
    s.step(m, t, latents, { out: latents });
  }
  return { timesteps: s.timesteps, out: latents };
}

const start = [1.2, -0.7, 0.3, 2.1, -1.6, 0.0];
const DEFAULTS: ReferenceOptions = { prediction: 'epsilon', solverType: 'midpoint', order: 2, finalSigma: 'zero', lowerOrderFinal: true, eulerAtFinal: false };

describe('DPMSolverMultistepScheduler', () => {
  it('has unit initial noise and no input scaling', () => {
    const s = DPMSolverMultistepScheduler.fromConfig(DPM);
    s.setTimesteps(20);
    expect(s.initNoiseSigma).toBe(1);
    const x = Float32Array.of(1, 2);
    expect(s.scaleModelInput(x, s.timesteps[0])).toBe(x);
  });

  it('takes a first-order first step and a second-order second step', () => {
    const s = DPMSolverMultistepScheduler.fromConfig(DPM);
    s.setTimesteps(50);
    const [t0, t1, t2] = s.timesteps; // 999, 979, 959
    expect([t0, t1, t2]).toEqual([999, 979, 959]);
    const x = Float32Array.of(0.6, -1.1);
    const eps0 = Float32Array.of(0.2, 0.4);
    const a = vpAt(ab[999]);
    const b = vpAt(ab[979]);
    const c = vpAt(ab[959]);
    const d0 = Array.from(x, (v, k) => (v - a.sigma * eps0[k]) / a.alpha);
    const h0 = b.lambda - a.lambda;
    const x1 = Array.from(x, (v, k) => (b.sigma / a.sigma) * v - b.alpha * (Math.exp(-h0) - 1) * d0[k]);
    const got1 = s.step(eps0, t0, x);
    x1.forEach((v, k) => expect(got1[k]).toBeCloseTo(v, 5));

    const eps1 = Float32Array.of(-0.3, 0.9);
    const d1 = x1.map((v, k) => (v - b.sigma * eps1[k]) / b.alpha);
    const h1 = c.lambda - b.lambda;
    const r = h0 / h1;
    const x2 = x1.map((v, k) => (c.sigma / b.sigma) * v - c.alpha * (Math.exp(-h1) - 1) * (d1[k] + (0.5 * (d1[k] - d0[k])) / r));
    const got2 = s.step(eps1, t1, got1);
    x2.forEach((v, k) => expect(got2[k]).toBeCloseTo(v, 5));
    // A first-order second step would differ visibly: the test can tell them apart.
    const firstOrder = x1.map((v, k) => (c.sigma / b.sigma) * v - c.alpha * (Math.exp(-h1) - 1) * d1[k]);
    expect(Math.abs(firstOrder[0] - x2[0])).toBeGreaterThan(1e-3);
  });

  const cases: Array<[string, Record<string, unknown>, number, Partial<ReferenceOptions>]> = [
    ['10 steps, final σ 0 (last step first order)', {}, 10, {}],
    ['20 steps, final σ_min, lower_order_final (second-order last step: 20 ≥ 15)', { final_sigmas_type: 'sigma_min' }, 20, { finalSigma: 'sigma_min' }],
    ['10 steps, final σ_min, lower_order_final (first-order last step: 10 < 15)', { final_sigmas_type: 'sigma_min' }, 10, { finalSigma: 'sigma_min' }],
    ['10 steps, final σ_min, lower_order_final off', { final_sigmas_type: 'sigma_min', lower_order_final: false }, 10, { finalSigma: 'sigma_min', lowerOrderFinal: false }],
    ['20 steps, final σ_min, euler_at_final', { final_sigmas_type: 'sigma_min', euler_at_final: true }, 20, { finalSigma: 'sigma_min', eulerAtFinal: true }],
    ['12 steps, heun', { solver_type: 'heun', final_sigmas_type: 'sigma_min', lower_order_final: false }, 12, { solverType: 'heun', finalSigma: 'sigma_min', lowerOrderFinal: false }],
    ['12 steps, v_prediction', { prediction_type: 'v_prediction' }, 12, { prediction: 'v_prediction' }],
    ['12 steps, solver_order 1 (DPM-Solver++ 1 = DDIM in λ)', { solver_order: 1 }, 12, { order: 1 }],
    ['15 steps, trailing', { timestep_spacing: 'trailing' }, 15, {}],
  ];
  it.each(cases)('matches the equations over a whole run: %s', (_name, config, steps, options) => {
    const { timesteps, out } = schedulerRun({ ...DPM, ...config }, steps, start);
    const expected = referenceRun(timesteps, start, { ...DEFAULTS, ...options });
    expected.forEach((v, k) => expect(out[k]).toBeCloseTo(v, 4));
  });

  it('distinguishes the variants (so the cases above test something)', () => {
    const run = (config: Record<string, unknown>): Float32Array => schedulerRun({ ...DPM, final_sigmas_type: 'sigma_min', ...config }, 20, start).out;
    const base = run({});
    for (const variant of [{ euler_at_final: true }, { solver_type: 'heun' }, { solver_order: 1 }]) {
      const other = run(variant);
      expect(Math.max(...Array.from(base, (v, k) => Math.abs(v - other[k])))).toBeGreaterThan(1e-4);
    }
  });

  it('keeps its history per instance: a clone runs from scratch, and interleaved runs do not interfere', () => {
    const x = Float32Array.of(0.3, -0.2, 0.9);
    const eps = Float32Array.of(0.1, 0.5, -0.4);
    const a = DPMSolverMultistepScheduler.fromConfig(DPM);
    a.setTimesteps(8);
    const b = a.clone();
    const xa = Float32Array.from(x);
    const xb = Float32Array.from(x);
    for (const t of a.timesteps) {
      a.step(eps, t, xa, { out: xa });
      b.step(eps, t, xb, { out: xb });
    }
    expect(xb).toEqual(xa);
    const c = a.clone();
    expect(c.stepIndex).toBe(0);
    expect(c.timesteps).toEqual(a.timesteps);
    const xc = Float32Array.from(x);
    for (const t of c.timesteps) c.step(eps, t, xc, { out: xc });
    expect(xc).toEqual(xa);
  });
});

// What the sampler needs of a model: run named float tensors in, named float tensors out. A pack's
// ModelSession is one (with its provider fallbacks and out-of-memory retries); tests can pass others.
import type { HostFeeds, HostOutputs } from '../pack/hostTensors';
import type { ModelRole } from '../pack/manifest';
import type { RunOptions } from '../pack/sessions';
import type { DenoiseHooks, DenoiseResult, DenoiseWindow, SchedulerSpec } from './denoiseLoop';

/** A window's denoising loop as data, to run next to the U-Net (denoiseLoop.ts). */
export interface DenoiseRequest {
  readonly window: DenoiseWindow;
  readonly scheduler: SchedulerSpec;
}

export interface ModelRunner {
  run(feeds: HostFeeds, options?: RunOptions): Promise<HostOutputs>;
  /**
   * The U-Net's runner may run a whole denoising loop where the model is (the onnxruntime
   * thread): resolves undefined where it cannot now, and the sampler runs the loop itself.
   */
  denoiseNearModel?(request: DenoiseRequest, hooks: DenoiseHooks): Promise<DenoiseResult | undefined>;
}

export type SamplerModels = Readonly<Record<ModelRole, ModelRunner>>;

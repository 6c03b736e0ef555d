// What the sampler needs of a model: run named float tensors in, named float tensors out. A pack's
// ModelSession is one (with its provider fallbacks and out-of-memory retries); tests can pass others.
import type { HostFeeds, HostOutputs } from '../pack/hostTensors';
import type { ModelRole } from '../pack/manifest';
import type { RunOptions } from '../pack/sessions';

export interface ModelRunner {
  run(feeds: HostFeeds, options?: RunOptions): Promise<HostOutputs>;
}

export type SamplerModels = Readonly<Record<ModelRole, ModelRunner>>;

// One onnxruntime session of one model file, fed and read in the engine's float32 terms. The
// session is created for one execution provider and one precision variant; ModelSession decides
// which and keeps a second one (on the CPU) when a GPU run has to fall back.
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { fromOrtTensor, sliceBatch, toOrtTensor, type HostFeeds, type HostOutputs } from './hostTensors';
import type { ModelVariant } from './manifest';
import type { BatchRunner, RunRequest } from './oomFallback';
import type { ProviderName } from './executionProviders';
import type { SessionSignature } from './sessionCheck';
import type { DenoiseHooks, DenoiseResult } from '../sampler/denoiseLoop';
import type { DenoiseRequest } from '../sampler/models';

/** What a caller can tell a session that keeps buffers between runs (pack/ortThread.ts). */
export interface RunWithOptions {
  /** Feeds the caller promises not to change between runs (HostTensor.constant): sent once. */
  readonly constants?: ReadonlySet<string>;
  /** Outputs of which only batch item 0 is wanted (RunRequest.firstItemOf). */
  readonly firstItemOf?: readonly string[];
}

/** A window's denoising loop for a session that can run it where it is (the onnxruntime thread). */
export interface SessionDenoise {
  /** The model variant the session runs (its tensor specs) and its path in the pack. */
  readonly variant: ModelVariant;
  readonly file: string;
  readonly request: DenoiseRequest;
}

/** The InferenceSession surface Lacuna uses; tests substitute their own. */
export type SessionLike = SessionSignature & Pick<InferenceSession, 'release'> & {
  run(feeds: Record<string, Tensor>, fetches: readonly string[]): Promise<Record<string, unknown>>;
  /** A run with the hints above, for sessions that can use them; others just run. */
  runWith?(feeds: Record<string, Tensor>, fetches: readonly string[], options: RunWithOptions): Promise<Record<string, unknown>>;
  /** Runs a whole denoising loop next to the model (sessions on the onnxruntime thread). */
  denoise?(job: SessionDenoise, hooks: DenoiseHooks): Promise<DenoiseResult>;
};

/** A session on the model at `modelPath`, or (with `model`) on those bytes, `modelPath` then only naming it. */
export type SessionFactory = (modelPath: string, options: InferenceSession.SessionOptions, model?: Uint8Array) => Promise<SessionLike>;

/** onnxruntime's Tensor class, loaded with the native runtime on first use, never at app start. */
let tensorClass: Promise<typeof Tensor> | undefined;
const loadTensorClass = () => (tensorClass ??= import('onnxruntime-node').then((m) => m.Tensor));

export class OrtRunner implements BatchRunner {
  constructor(
    readonly session: SessionLike,
    readonly variant: ModelVariant,
    readonly provider: ProviderName,
    /** The model's path inside the pack, for messages. */
    readonly file: string,
    /** onnxruntime's Tensor class where the caller has it loaded already (the onnxruntime thread). */
    private readonly tensorClass?: typeof Tensor,
  ) {}

  async run(feeds: HostFeeds, { outputs, firstItemOf }: RunRequest = {}): Promise<HostOutputs> {
    const TensorClass = this.tensorClass ?? (await loadTensorClass());
    const ortFeeds: Record<string, Tensor> = {};
    for (const spec of this.variant.inputs) ortFeeds[spec.name] = toOrtTensor(this.file, spec, feeds[spec.name], TensorClass);
    // Fetch only what the manifest lists, or what the caller asks for of it: an output nobody reads
    // (the U-Net's image-size mask on most steps: 47 MB a run) would cost copies for nothing.
    const unknown = outputs?.filter((name) => !this.variant.outputs.some((o) => o.name === name)) ?? [];
    if (unknown.length) throw new Error(`${this.file}: no output named ${unknown.map((n) => `"${n}"`).join(', ')} (outputs: ${this.variant.outputs.map((o) => o.name).join(', ')})`);
    const specs = outputs ? this.variant.outputs.filter((o) => outputs.includes(o.name)) : this.variant.outputs;
    const constants = new Set(this.variant.inputs.filter((s) => feeds[s.name].constant).map((s) => s.name));
    const fetches = specs.map((o) => o.name);
    const hints = { constants, ...(firstItemOf && { firstItemOf }) };
    const results = await (this.session.runWith ? this.session.runWith(ortFeeds, fetches, hints) : this.session.run(ortFeeds, fetches));
    const out: HostOutputs = {};
    for (const spec of specs) {
      const value = results[spec.name] as Tensor | undefined;
      if (!value) throw new Error(`${this.file}: the model returned no "${spec.name}"`);
      const tensor = fromOrtTensor(this.file, spec, value);
      // A session that does not cut first-item outputs itself gives the whole batch.
      out[spec.name] = firstItemOf?.includes(spec.name) && tensor.dims[0] > 1 ? sliceBatch(tensor, 0, 1) : tensor;
    }
    return out;
  }

  /** The loop next to the model, where the session can run one; else undefined. */
  denoise(request: DenoiseRequest, hooks: DenoiseHooks): Promise<DenoiseResult> | undefined {
    return this.session.denoise?.({ variant: this.variant, file: this.file, request }, hooks);
  }

  private released = false;

  /** Idempotent: the out-of-memory fallback releases a GPU session early, and the job's end again. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

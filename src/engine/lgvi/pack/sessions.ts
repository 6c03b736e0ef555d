// A pack model as the sampler uses it: opened on first run (a job that only encodes never loads the
// U-Net), kept open across windows, released after the job. Opening picks the execution provider
// (first candidate that starts) and the precision variant for it, verifies the file's checksum if
// this run has not yet, and checks the session's real inputs and outputs against the manifest.
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { LacunaError, cancelledError, throwIfAborted } from '../../util/errors';
import { LGVI_CONTRACT } from './contract';
import { PROVIDER_TITLES, isGpuProvider, type ProviderName } from './executionProviders';
import { checkFeeds, checkShapes, type HostFeeds, type HostOutputs } from './hostTensors';
import type { ModelFile, ModelRole, ModelVariant } from './manifest';
import { OomFallbackRunner, isOutOfMemoryError, type RunRequest } from './oomFallback';
import { unetInputShapes, type DenoiseHooks, type DenoiseResult } from '../sampler/denoiseLoop';
import type { DenoiseRequest } from '../sampler/models';
import { OrtRunner, type SessionFactory, type SessionLike } from './ortRunner';
import { checkSessionSignature } from './sessionCheck';

export type PrecisionPreference = 'auto' | 'fp32' | 'fp16';
export type Precision = 'fp32' | 'fp16';

export interface SessionTuning {
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
  graphOptimizationLevel?: InferenceSession.SessionOptions['graphOptimizationLevel'];
  /** GPU index for CUDA and DirectML. */
  deviceId?: number;
  logSeverityLevel?: InferenceSession.SessionOptions['logSeverityLevel'];
}

export interface ModelSessionOptions {
  readonly dir: string;
  readonly role: ModelRole;
  readonly entry: ModelFile;
  readonly candidates: readonly ProviderName[];
  readonly precision: PrecisionPreference;
  /** Verifies the files a variant needs (model + external data); throws MODEL_PACK_INVALID if bad. */
  readonly verifyVariant: (variant: ModelVariant, field: string) => Promise<void>;
  readonly createSession: SessionFactory;
  readonly tuning?: SessionTuning;
  readonly onNotice?: (message: string) => void;
}

export interface RunOptions extends RunRequest {
  readonly signal?: AbortSignal;
}

/** Which variant a provider gets: fp16 only where it pays (GPUs) and the pack has one. */
export function pickVariant(entry: ModelFile, provider: ProviderName, precision: PrecisionPreference): { variant: ModelVariant; precision: Precision } {
  const wantHalf = precision === 'fp16' || (precision === 'auto' && isGpuProvider(provider));
  return wantHalf && entry.fp16 ? { variant: entry.fp16, precision: 'fp16' } : { variant: entry, precision: 'fp32' };
}

function providerConfig(provider: ProviderName, tuning: SessionTuning | undefined): InferenceSession.ExecutionProviderConfig[] {
  const deviceId = tuning?.deviceId ?? 0;
  switch (provider) {
    case 'cuda':
      return [{ name: 'cuda', deviceId }, 'cpu'];
    case 'dml':
      return [{ name: 'dml', deviceId }, 'cpu'];
    case 'coreml':
      return ['coreml', 'cpu'];
    case 'cpu':
      return ['cpu'];
  }
}

function sessionOptions(provider: ProviderName, tuning: SessionTuning = {}): InferenceSession.SessionOptions {
  const options: InferenceSession.SessionOptions = {
    executionProviders: providerConfig(provider, tuning),
    graphOptimizationLevel: tuning.graphOptimizationLevel ?? 'all',
    // Errors only: onnxruntime's warnings (e.g. nodes placed on the CPU) are noise in a job log.
    logSeverityLevel: tuning.logSeverityLevel ?? 3,
  };
  // onnxruntime-node rejects keys present with an undefined value, so set only what was given.
  if (tuning.intraOpNumThreads !== undefined) options.intraOpNumThreads = tuning.intraOpNumThreads;
  if (tuning.interOpNumThreads !== undefined) options.interOpNumThreads = tuning.interOpNumThreads;
  return options;
}

interface Opened {
  readonly runner: OomFallbackRunner;
  readonly primary: OrtRunner;
  readonly precision: Precision;
  cpu?: { readonly runner: OrtRunner; readonly precision: Precision };
}

export class ModelSession {
  private opened: Opened | undefined;
  private opening: Promise<Opened> | undefined;
  private generation = 0;

  constructor(private readonly options: ModelSessionOptions) {}

  get role(): ModelRole {
    return this.options.role;
  }

  /** The model file's path inside the pack. */
  get file(): string {
    return this.options.entry.path;
  }

  /** "U-Net (unet.fp16.onnx)": the model and the file actually in use, for notices. */
  private label(path: string): string {
    return `${LGVI_CONTRACT[this.role].title} (${path})`;
  }

  /** The provider runs go to now (after an out-of-memory fallback, the CPU); undefined until opened. */
  get provider(): ProviderName | undefined {
    if (!this.opened) return undefined;
    return this.opened.runner.state.onCpu ? 'cpu' : this.opened.primary.provider;
  }

  get precision(): Precision | undefined {
    if (!this.opened) return undefined;
    return this.opened.cpu?.precision ?? this.opened.precision;
  }

  get isOpen(): boolean {
    return !!this.opened;
  }

  /** Opens the session now instead of at the first run (to fail early, or to time loading separately). */
  async open(): Promise<void> {
    await this.ensureOpen();
  }

  async run(feeds: HostFeeds, options: RunOptions = {}): Promise<HostOutputs> {
    throwIfAborted(options.signal);
    const opened = await this.ensureOpen();
    throwIfAborted(options.signal);
    // Checked against the fp32 entry: variants share their geometry (the contract check ensures it).
    checkFeeds(this.file, this.options.entry.inputs, feeds);
    try {
      const { signal: _signal, ...request } = options;
      return await opened.runner.run(feeds, request);
    } catch (e) {
      if (e instanceof LacunaError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      const shapes = Object.entries(feeds)
        .map(([k, t]) => `${k}[${t.dims.join(',')}]`)
        .join(' ');
      const file = opened.cpu?.runner.file ?? opened.primary.file;
      throw new Error(`${file}: onnxruntime failed on ${this.provider}: ${message} (inputs ${shapes})`, { cause: e });
    }
  }

  /**
   * Runs a window's denoising loop next to the model (sampler/models.ts ModelRunner), where the
   * session can (on the onnxruntime thread) and no smaller batches have been learned after an
   * out-of-memory error; resolves undefined otherwise, and the sampler runs the loop itself. A GPU
   * out of memory in the loop comes back as it is: the sampler then retries the window through
   * `run`, whose fallback takes over.
   */
  async denoiseNearModel(request: DenoiseRequest, hooks: DenoiseHooks): Promise<DenoiseResult | undefined> {
    throwIfAborted(hooks.signal);
    const opened = await this.ensureOpen();
    // The loop makes its feeds on the thread: their shapes are checked here, as run() checks its feeds.
    for (const shapes of unetInputShapes(request.window)) checkShapes(this.file, this.options.entry.inputs, shapes);
    const state = opened.runner.state;
    if (state.maxBatch !== undefined) return undefined;
    const runner = state.onCpu ? opened.cpu?.runner : opened.primary;
    const running = runner?.denoise(request, hooks);
    if (!running) return undefined;
    try {
      return await running;
    } catch (e) {
      if (e instanceof LacunaError || isOutOfMemoryError(e)) throw e;
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`${runner!.file}: onnxruntime failed on ${this.provider} in the denoising loop: ${message}`, { cause: e });
    }
  }

  /** Frees the session(s); a later run opens them again. */
  async release(): Promise<void> {
    // A release during opening wins: the generation moves on, so the opening's result is freed
    // as soon as it arrives instead of being kept (and leaking GPU memory).
    this.generation++;
    const opening = this.opening;
    const opened = this.opened;
    this.opening = undefined;
    this.opened = undefined;
    if (opened) await ModelSession.free(opened);
    else await opening?.catch(() => undefined);
  }

  private static async free(opened: Opened): Promise<void> {
    await opened.primary.release().catch(() => {});
    await opened.cpu?.runner.release().catch(() => {});
  }

  private ensureOpen(): Promise<Opened> {
    if (this.opened) return Promise.resolve(this.opened);
    if (!this.opening) {
      const generation = this.generation;
      this.opening = this.openNow().then(
        async (o) => {
          if (generation !== this.generation) {
            await ModelSession.free(o);
            throw cancelledError(`opening ${this.file}`);
          }
          this.opened = o;
          this.opening = undefined;
          return o;
        },
        (e) => {
          if (generation === this.generation) this.opening = undefined;
          throw e;
        },
      );
    }
    return this.opening;
  }

  /** A session on the first candidate provider that starts. */
  private async openOn(candidates: readonly ProviderName[]): Promise<{ runner: OrtRunner; precision: Precision }> {
    const failures: string[] = [];
    for (const [i, provider] of candidates.entries()) {
      const { variant, precision } = pickVariant(this.options.entry, provider, this.options.precision);
      const field = `files.${this.role}${precision === 'fp16' ? '.fp16' : ''}`;
      await this.options.verifyVariant(variant, field);
      let session: SessionLike;
      try {
        session = await this.options.createSession(join(this.options.dir, variant.path), sessionOptions(provider, this.options.tuning));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        failures.push(`${provider}: ${message}`);
        const next = candidates[i + 1];
        if (next) this.options.onNotice?.(`${this.label(variant.path)}: could not start ${PROVIDER_TITLES[provider]} (${message.split('\n')[0]}); trying ${PROVIDER_TITLES[next]}.`);
        continue;
      }
      const problems = checkSessionSignature(session, variant);
      if (problems.length) {
        await session.release().catch(() => {});
        throw new LacunaError(
          'MODEL_PACK_INVALID',
          `${variant.path} does not match the manifest (${field}):\n${problems.map((p) => `  ${variant.path}: ${p.message}`).join('\n')}`,
          'The model file and manifest.json disagree: re-export the model with the contract names (models/README.md) or fix the manifest.',
        );
      }
      return { runner: new OrtRunner(session, variant, provider, variant.path), precision };
    }
    throw new LacunaError(
      'MODEL_PACK_INVALID',
      `${this.file} could not be loaded by onnxruntime:\n${failures.map((f) => `  ${f}`).join('\n')}`,
      'The file may be damaged or need a newer onnxruntime; `lacuna models verify` checks the whole pack.',
    );
  }

  private async openNow(): Promise<Opened> {
    const { runner: primary, precision } = await this.openOn(this.options.candidates);
    const batched = (specs: ModelVariant['inputs']) => specs.filter((s) => s.shape[0] === 'B').map((s) => s.name);
    const opened: Opened = {
      primary,
      precision,
      runner: new OomFallbackRunner({
        label: this.label(primary.variant.path),
        primary,
        primaryIsCpu: primary.provider === 'cpu',
        openCpu: async () => {
          const cpu = await this.openOn(['cpu']);
          opened.cpu = cpu;
          return cpu.runner;
        },
        releasePrimary: () => primary.release().catch(() => {}),
        batchedInputs: batched(primary.variant.inputs),
        batchedOutputs: batched(primary.variant.outputs),
        onNotice: this.options.onNotice,
      }),
    };
    return opened;
  }
}

// What to do when a GPU runs out of memory mid-job. LGVI's U-Net on a 24-frame window with three
// guidance passes batched together needs several GB of activations; a card that loaded the
// weights may still fail on the first run. Failing the job would waste the user's setup, so the
// run is retried with smaller batches (the guidance passes one at a time, as the reference does),
// and if even one item does not fit, on the CPU: slow, but the job finishes. Each step down is
// remembered for the rest of the job so later windows do not fail the same way again.
import { concatBatch, sliceBatch, type HostFeeds, type HostOutputs } from './hostTensors';

/**
 * Whether an error is onnxruntime (or the GPU driver below it) running out of memory. The text is
 * all onnxruntime-node gives; these are the phrasings of its CUDA, DirectML, CoreML and CPU
 * allocators and of the libraries they call.
 */
const OOM_PATTERNS: readonly RegExp[] = [
  /out of memory/i, // CUDA "CUDA failure 2: out of memory", cudaErrorMemoryAllocation text
  /failed to allocate memory/i, // BFCArena / CPU arena
  /cudaErrorMemoryAllocation/i,
  /CUBLAS_STATUS_ALLOC_FAILED|CUDNN_STATUS_ALLOC_FAILED|CUFFT_ALLOC_FAILED/,
  /E_OUTOFMEMORY|0x8007000E|not enough memory resources/i, // DirectML / Windows HRESULT
  /insufficient ?memory|kIOGPUCommandBufferCallbackErrorOutOfMemory/i, // CoreML / Metal
  /std::bad_alloc|bad allocation/i, // C++ allocation failure (Linux / MSVC wording)
];

export function isOutOfMemoryError(e: unknown): boolean {
  for (let err: unknown = e, depth = 0; err && depth < 5; depth++) {
    const text = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
    if (OOM_PATTERNS.some((p) => p.test(text))) return true;
    err = err instanceof Error ? err.cause : undefined;
  }
  return false;
}

/** What to fetch from a run, and what the caller hands back for it. */
export interface RunRequest {
  /** The model outputs to fetch (default every output the manifest lists). */
  readonly outputs?: readonly string[];
  /**
   * Batched outputs of which only the first item is wanted (the U-Net's mask: only the prompt
   * pass's is read, and at image size each item is 16 MB): the rest is neither copied nor sent.
   */
  readonly firstItemOf?: readonly string[];
}

export interface BatchRunner {
  run(feeds: HostFeeds, request?: RunRequest): Promise<HostOutputs>;
}

export interface OomFallbackOptions {
  /** Names the model in messages, e.g. "U-Net (unet.onnx)". */
  readonly label: string;
  readonly primary: BatchRunner;
  /** Whether the primary runner is itself on the CPU (then there is nowhere further to fall back to). */
  readonly primaryIsCpu: boolean;
  /** Opens the CPU runner on first need. */
  readonly openCpu?: () => Promise<BatchRunner>;
  /** Frees the GPU session once abandoned, so its memory goes to the models still running there. */
  readonly releasePrimary?: () => Promise<void>;
  /** Inputs and outputs whose first dim is the batch B (all of LGVI's, unless a pack fixes B). */
  readonly batchedInputs: readonly string[];
  readonly batchedOutputs: readonly string[];
  readonly onNotice?: (message: string) => void;
}

export class OomFallbackRunner implements BatchRunner {
  private cpu: BatchRunner | undefined;
  private cpuOpening: Promise<BatchRunner> | undefined;
  private maxBatch: number | undefined;

  constructor(private readonly options: OomFallbackOptions) {}

  /** Where runs go now, for reporting: the batch cap learned so far and whether the CPU took over. */
  get state(): { readonly maxBatch: number | undefined; readonly onCpu: boolean } {
    return { maxBatch: this.maxBatch, onCpu: !!this.cpu };
  }

  async run(feeds: HostFeeds, request: RunRequest = {}): Promise<HostOutputs> {
    if (this.cpu) return this.cpu.run(feeds, request);
    const { firstItemOf } = request;
    const { batchedInputs, label } = this.options;
    const splittable = batchedInputs.length > 0;
    // A model with a fixed batch is one indivisible unit of work.
    const total = splittable ? feeds[batchedInputs[0]].dims[0] : 1;
    const parts: HostOutputs[] = [];
    let start = 0;
    while (start < total) {
      const size = Math.min(this.maxBatch ?? total, total - start);
      try {
        parts.push(await this.options.primary.run(size === total ? feeds : this.slice(feeds, start, start + size), request));
        start += size;
        continue;
      } catch (e) {
        if (!isOutOfMemoryError(e)) throw e;
        if (splittable && size > 1) {
          this.maxBatch = Math.ceil(size / 2);
          this.notice(`${label} ran out of ${this.memoryKind()} with batch ${size}; retrying in batches of ${this.maxBatch}.`);
          continue;
        }
        if (this.options.primaryIsCpu || !this.options.openCpu) throw e;
        this.notice(`${label} ran out of GPU memory even with batch 1; continuing on the CPU (much slower).`);
      }
      // Even one item did not fit: the rest of this run, and every later one, goes to the CPU.
      // Runs can be in flight together (the VAE's batches are sent at once): the first to get here
      // opens the CPU session, the others wait for the same one.
      this.cpuOpening ??= this.options.openCpu().then(async (cpu) => {
        this.cpu = cpu;
        await this.options.releasePrimary?.();
        return cpu;
      });
      const cpu = await this.cpuOpening;
      parts.push(await cpu.run(start === 0 ? feeds : this.slice(feeds, start, total), request));
      start = total;
    }
    return this.merge(parts, firstItemOf ?? []);
  }

  private memoryKind(): string {
    return this.options.primaryIsCpu ? 'memory' : 'GPU memory';
  }

  private notice(message: string): void {
    this.options.onNotice?.(message);
  }

  private slice(feeds: HostFeeds, start: number, end: number): HostFeeds {
    const out: Record<string, HostFeeds[string]> = {};
    for (const [name, t] of Object.entries(feeds)) out[name] = this.options.batchedInputs.includes(name) ? sliceBatch(t, start, end) : t;
    return out;
  }

  /** The parts' outputs as one run's; a first-item-only output is the first part's. */
  private merge(parts: readonly HostOutputs[], firstItemOf: readonly string[]): HostOutputs {
    if (parts.length === 1) return parts[0];
    const out: HostOutputs = {};
    for (const name of Object.keys(parts[0])) {
      const batched = this.options.batchedOutputs.includes(name) && !firstItemOf.includes(name);
      out[name] = batched ? concatBatch(parts.map((p) => p[name])) : parts[0][name];
    }
    return out;
  }
}

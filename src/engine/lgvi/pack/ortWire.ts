// The messages between the engine and its onnxruntime thread (ortThread.ts on the engine's side,
// ortWorker.ts on the thread's).
import type { InferenceSession } from 'onnxruntime-node';
import type { DenoiseRequest } from '../sampler/models';
import type { ModelVariant } from './manifest';
import type { SessionLike } from './ortRunner';

export interface OrtWorkerData {
  /** onnxruntime-node's entry file, resolved on the engine's side (in the app: in app.asar.unpacked). */
  readonly ortPath: string;
}

/**
 * A tensor as it crosses the thread boundary: onnxruntime's element type, a compact typed array,
 * dims. A constant feed is sent once with `keep` (the thread keeps it for the session) and then
 * as `kept` with no data while the caller passes the same array.
 */
export interface WireTensor {
  type: string;
  data?: ArrayBufferView;
  dims: readonly number[];
  keep?: boolean;
  kept?: boolean;
}

export type OrtRequest =
  /** `model`: the model's bytes (a model built in memory); else it is read from `path`, which also names it in errors. */
  | { op: 'open'; id: number; path: string; model?: Uint8Array; options: InferenceSession.SessionOptions }
  | { op: 'run'; id: number; handle: number; feeds: Record<string, WireTensor>; fetches: readonly string[]; firstItemOf: readonly string[] }
  | { op: 'denoise'; id: number; handle: number; variant: ModelVariant; file: string; request: DenoiseRequest }
  /** Stops the denoising loop of request `target` at its next step (no reply of its own). */
  | { op: 'cancel'; id: number; target: number }
  | { op: 'release'; id: number; handle: number };

export interface OrtReply {
  id: number;
  error?: { message: string; name?: string; code?: string };
  /**
   * While a denoising loop runs (the call is still under way): a step done, or the prompt pass's
   * mask of a step that is averaged (summed on the engine's side, off the model's thread).
   */
  update?: { done: number; total: number; mask?: undefined } | { mask: Float32Array; done?: undefined };
  handle?: number;
  signature?: Pick<SessionLike, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>;
  outputs?: Record<string, WireTensor>;
  /** A denoising loop's final latents (its masks came as updates). */
  latents?: Float32Array;
  /** Feed buffers the thread is done with (this run's, and kept ones it replaced), for reuse. */
  spent?: ArrayBuffer[];
  /** Milliseconds inside onnxruntime's session.run, over `runs` runs. */
  runMs?: number;
  runs?: number;
}

import { availableParallelism } from 'node:os';
import type { Tensor } from 'onnxruntime-node';
import { sharedOrtThread } from '../../lgvi/pack/ortThread';
import type { SessionLike } from '../../lgvi/pack/ortRunner';
import type { DetectorModel, OnnxDetectorSpec, RawDetection } from './detectorModel';
import { fileModelHandler } from './modelFiles';
import { decodeTfjsWeights, tfGraphToOnnx } from './tfGraphToOnnx';

/**
 * A shipped graph model run by onnxruntime's native CPU kernels: the tfjs model converted once
 * when it loads (tfGraphToOnnx.ts, about a tenth of a second), one session per input size, on the
 * process's onnxruntime thread (lgvi/pack/ortThread.ts: the event loop stays free while it runs,
 * and onnxruntime is never used from two threads at once). CenterNet on one 512x288 input takes
 * ~23 ms on one core where tfjs's WebAssembly backend took ~170 ms on 512x512 (bench/lite-detect.ts).
 *
 * Unlike tfjs's square input, the input here follows the frame's shape: its long side is the
 * model's input size and its short side the frame's, rounded up to the network's stride, so a 16:9
 * frame is not padded by 44 % of blank rows the model would examine too.
 */
export interface OnnxDetectorRunner {
  readonly threads: number;
  /** The input size for a frame of this size. */
  inputSize(frameWidth: number, frameHeight: number): { width: number; height: number };
  /** Candidates in `input` (NCHW float32 0..255 of `size`), scoring at least `minScore`, before NMS. */
  detect(input: Float32Array, size: { width: number; height: number }, minScore: number): Promise<RawDetection[]>;
  release(): Promise<void>;
}

/** The input for a frame: long side `side`, short side the frame's aspect rounded up to `stride`. */
export function onnxInputSize(side: number, stride: number, frameWidth: number, frameHeight: number): { width: number; height: number } {
  const short = (long: number, other: number) => Math.min(side, Math.max(stride, Math.ceil((side * other) / long / stride) * stride));
  return frameWidth >= frameHeight ? { width: side, height: short(frameWidth, frameHeight) } : { width: short(frameHeight, frameWidth), height: side };
}

/**
 * Loads `model` (its tfjs files at `path`) for onnxruntime; throws where it does not convert or
 * onnxruntime cannot open it. That check opens the session for `firstFrame`'s input where the
 * first frame is known (a square input otherwise), so it is the session that frame then uses.
 */
export async function startOnnxDetector(
  model: DetectorModel & { onnx: OnnxDetectorSpec },
  path: string,
  threads = Math.min(2, availableParallelism()),
  firstFrame?: { width: number; height: number },
): Promise<OnnxDetectorRunner> {
  const artifacts = await fileModelHandler(path).load();
  const weights = decodeTfjsWeights(artifacts.weightSpecs ?? [], artifacts.weightData as ArrayBuffer);
  const topology = artifacts.modelTopology as { node: Parameters<typeof tfGraphToOnnx>[0]['node'] };
  const spec = model.onnx;
  const sessions = new Map<string, Promise<SessionLike>>();
  const inputSize = (w: number, h: number) => onnxInputSize(model.inputSize, spec.stride, w, h);
  const open = (size: { width: number; height: number }): Promise<SessionLike> => {
    const key = `${size.width}x${size.height}`;
    let session = sessions.get(key);
    if (!session) {
      const graph = tfGraphToOnnx(topology, weights, spec, size);
      session = sharedOrtThread().createSession(`${model.name} at ${key}`, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        // Threads that spin between runs would take the core the decoder and the fill need.
        extra: { session: { intra_op: { allow_spinning: '0' } } },
      }, graph);
      sessions.set(key, session);
    }
    return session;
  };
  // Fails here, not on the first frame, where a graph does not convert or run.
  await open(firstFrame ? inputSize(firstFrame.width, firstFrame.height) : { width: model.inputSize, height: model.inputSize });
  return {
    threads,
    inputSize,
    async detect(input, size, minScore) {
      const session = await open(size);
      const feed = { type: 'float32', data: input, dims: [1, 3, size.height, size.width] } as unknown as Tensor;
      const out = (await session.run({ [session.inputNames[0]]: feed }, spec.outputs)) as Record<string, { data: Float32Array; dims: readonly number[] }>;
      return spec.decode(spec.outputs.map((name) => out[name]), size, minScore);
    },
    async release() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map(async (s) => (await s.catch(() => null))?.release()));
    },
  };
}

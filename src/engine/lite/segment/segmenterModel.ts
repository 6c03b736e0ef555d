import type * as tfCore from '@tensorflow/tfjs-core';
import type { TfRuntime } from '../detect/tfRuntime';

/**
 * A person segmentation network once loaded: takes the crop as the segmenter prepared it
 * (letterboxed into the model's input, RGB float 0..255, NHWC) and returns how likely each input
 * pixel is to be the person, 0..1. Everything model-specific (normalisation, output layout) lives
 * behind this, so the crop-and-map-back geometry around it is the same for every model.
 */
export interface SegmentationNet {
  /** Runs inside tf.tidy; `rgb` is [1, inputHeight, inputWidth, 3]; returns [inputHeight, inputWidth]. */
  predict(tf: typeof tfCore, rgb: tfCore.Tensor4D): tfCore.Tensor2D;
  /** Frees the network's weights. */
  dispose(): void;
}

/** What the segmenter needs to know about one model: its input size and how to load it. */
export interface SegmenterModel {
  name: string;
  inputWidth: number;
  inputHeight: number;
  /** Loads the network from `modelDir` (the folder of model.json/.bin pairs) on the given runtime. */
  load(rt: TfRuntime, modelDir: string): Promise<SegmentationNet>;
}

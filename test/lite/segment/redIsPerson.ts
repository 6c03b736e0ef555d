import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { PixelRect } from '../../../src/engine/lite/segment/segmentationCrop';
import type { SegmenterModel } from '../../../src/engine/lite/segment/segmenterModel';
import type { RgbImage } from '../../../src/engine/lite/types';

/**
 * A stand-in for a segmentation network that answers "person" exactly where its input is red,
 * with no weights to load: whatever the segmenter does to crop, letterbox and map back, its
 * output must land on the frame's red pixels. Run through the same tfjs runtime as the real one.
 */
export function redIsPerson(inputWidth: number, inputHeight: number): SegmenterModel {
  return {
    name: 'red-is-person',
    inputWidth,
    inputHeight,
    load: async () => ({
      predict: (tf, rgb) => tf.reshape(tf.div(tf.slice(rgb, [0, 0, 0, 0], [1, inputHeight, inputWidth, 1]), 255), [inputHeight, inputWidth]) as Tensor2D,
      dispose: () => {},
    }),
  };
}

/** A black frame with `red` painted pure red. */
export function frameWithRed(width: number, height: number, red: PixelRect): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = red.y; y < red.y + red.height; y++) {
    for (let x = red.x; x < red.x + red.width; x++) data[(y * width + x) * 3] = 255;
  }
  return { width, height, data };
}

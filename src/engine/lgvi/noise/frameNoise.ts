// Noise for a latent window [C, T, h, w], drawn per absolute frame: frame f's values come from the
// stream noiseFor(seed, stream, f) whatever window it falls in. Overlapping windows therefore start
// from the same noise on the frames they share (which keeps their results alike where they are
// blended), and a window re-run alone reproduces exactly what it produced in the full job.
import { checkSeed, noiseFor } from './gaussianNoise';

export interface FrameNoiseLayout {
  seed: number;
  /** What the noise is for, e.g. "initial-latents" or "ancestral-step-12"; different names never share values. */
  stream: string;
  /** Absolute index (in the clip) of the window's first frame. */
  firstFrame: number;
  channels: number;
  frames: number;
  height: number;
  width: number;
}

/** Fills `out` (length channels·frames·height·width, layout [C, T, h, w]) with per-frame seeded noise. */
export function fillFrameNoise(out: Float32Array, layout: FrameNoiseLayout): Float32Array {
  const { seed, stream, firstFrame, channels, frames, height, width } = layout;
  checkSeed(seed);
  const plane = height * width;
  if (out.length !== channels * frames * plane) {
    throw new Error(`fillFrameNoise: out has ${out.length} elements, the layout ${channels}x${frames}x${height}x${width} needs ${channels * frames * plane}`);
  }
  const frame = new Float32Array(channels * plane);
  for (let t = 0; t < frames; t++) {
    // A frame's stream holds its channels one after another: channel c is values [c·plane, (c+1)·plane).
    noiseFor(seed, stream, firstFrame + t).fill(frame);
    for (let c = 0; c < channels; c++) out.set(frame.subarray(c * plane, (c + 1) * plane), (c * frames + t) * plane);
  }
  return out;
}

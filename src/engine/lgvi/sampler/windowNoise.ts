// A latent window's seeded noise ([4, T, h, w]) for one purpose, each frame drawn by its noise key
// (its frame number in the source; noise/frameNoise.ts), whatever window the frame falls in.
import { fillFrameNoise } from '../noise/frameNoise';
import { LATENT_CHANNELS } from '../pack/contract';
import { putFrameLatents } from './latentLayout';

export interface WindowNoiseShape {
  readonly seed: number;
  readonly latentHeight: number;
  readonly latentWidth: number;
}

export function windowNoise(shape: WindowNoiseShape, stream: string, keys: readonly number[]): Float32Array {
  const { seed, latentHeight: height, latentWidth: width } = shape;
  const plane = height * width;
  const frames = keys.length;
  const out = new Float32Array(LATENT_CHANNELS * frames * plane);
  const one = new Float32Array(LATENT_CHANNELS * plane);
  keys.forEach((key, t) => {
    fillFrameNoise(one, { seed, stream, firstFrame: key, channels: LATENT_CHANNELS, frames: 1, height, width });
    putFrameLatents(out, frames, t, one, 0, LATENT_CHANNELS, plane);
  });
  return out;
}

/** Names of the seeded noise streams: each purpose has its own, per frame. */
export const NOISE_STREAMS = {
  initial: 'initial-latents',
  condition: 'vae-condition',
  ancestral: (step: number) => `ancestral-step-${step}`,
} as const;

/**
 * Where a sampler's noise comes from: by default the seeded per-frame streams above; a test that
 * replays a reference run supplies that run's recorded noise instead (test/lgvi/parity).
 */
export interface WindowNoiseSource {
  /** [4, T, h, w] standard-normal noise for `stream` (a NOISE_STREAMS name) and the window's noise keys. */
  draw(stream: string, keys: readonly number[]): Float32Array;
}

// Seeded, platform-independent noise and the VAE posterior sample: what the sampler imports.
export { GaussianNoise, noiseFor, checkSeed, type NoiseSource } from './gaussianNoise';
export { fillFrameNoise, type FrameNoiseLayout } from './frameNoise';
export { sampleLatentDist, LOGVAR_MIN, LOGVAR_MAX, type LatentSampleOptions } from './latentDist';
export { philox4x32 } from './philox';
export { checkSameLength } from './sameLength';

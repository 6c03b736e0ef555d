// The LGVI sampling loop written out plainly on the analytic pack's TypeScript models
// (test/helpers/analyticReference.ts), to check the engine's sampler number for number. It follows
// LGVI.md step by step with its own indexing (no shared layout helpers): noise drawn per frame from
// noiseFor(seed, stream, frameKey), condition = (mean + exp(logvar/2) noise) * scale, three U-Net
// passes one after another, e = u + g_t (t - i) + g_i (i - u), scheduler step, decode.
import { noiseFor } from '../../../src/engine/lgvi/noise/gaussianNoise';
import { createScheduler } from '../../../src/engine/lgvi/schedulers/createScheduler';
import { refTextEncoder, refUnet, refVaeDecoder, refVaeEncoder, type RefTensor } from '../../helpers/analyticReference';

export interface ReferenceLoopInput {
  /** Frames [3, H, W] in [-1, 1]. */
  images: Float32Array[];
  noiseKeys: number[];
  width: number;
  height: number;
  promptIds: Int32Array;
  emptyIds: Int32Array;
  seed: number;
  steps: number;
  guidance: number;
  imageGuidance: number;
  useMean: boolean;
  scheduler: Record<string, unknown>;
  latentScale: number;
  maskSize: 'latent' | 'image';
}

export interface ReferenceLoopOutput {
  /** [4, T, h, w] after the last step. */
  latents: Float32Array;
  /** Per frame, interleaved RGB 0..255 (float). */
  frames: Float32Array[];
  /** Mask of the prompt pass at the last step, [T, mh, mw]. */
  lastMask: Float32Array;
}

export function referenceLoop(input: ReferenceLoopInput): ReferenceLoopOutput {
  const { width: W, height: H, seed } = input;
  const T = input.images.length;
  const h = H / 8;
  const w = W / 8;
  const at = (c: number, t: number, y: number, x: number) => ((c * T + t) * h + y) * w + x;

  const text = refTextEncoder(Int32Array.from([...input.promptIds, ...input.emptyIds]), [2, 77]).data;
  const promptEmb: RefTensor = { data: text.slice(0, 77 * 768), dims: [1, 77, 768] };
  const emptyEmb: RefTensor = { data: text.slice(77 * 768), dims: [1, 77, 768] };

  const condition = new Float32Array(4 * T * h * w);
  input.images.forEach((image, t) => {
    const enc = refVaeEncoder({ data: image, dims: [1, 3, H, W] });
    const noise = new Float32Array(4 * h * w);
    noiseFor(seed, 'vae-condition', input.noiseKeys[t]).fill(noise);
    for (let c = 0; c < 4; c++) {
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = (c * h + y) * w + x;
          const mean = enc.latent_mean.data[i];
          const std = Math.exp(0.5 * enc.latent_logvar.data[i]);
          condition[at(c, t, y, x)] = (input.useMean ? mean : mean + std * noise[i]) * input.latentScale;
        }
      }
    }
  });

  const scheduler = createScheduler(input.scheduler);
  scheduler.setTimesteps(input.steps);
  const latents = new Float32Array(4 * T * h * w);
  input.noiseKeys.forEach((key, t) => {
    const noise = new Float32Array(4 * h * w);
    noiseFor(seed, 'initial-latents', key).fill(noise);
    for (let c = 0; c < 4; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) latents[at(c, t, y, x)] = noise[(c * h + y) * w + x] * scheduler.initNoiseSigma;
  });

  const dims = [1, 4, T, h, w];
  const zeros = new Float32Array(latents.length);
  const guided = input.guidance > 1 && input.imageGuidance >= 1;
  let lastMask: Float32Array = new Float32Array(0);
  for (const t of scheduler.timesteps) {
    const sample: RefTensor = { data: scheduler.scaleModelInput(latents, t), dims };
    const timestep: RefTensor = { data: Float32Array.of(t), dims: [1] };
    const pass = (emb: RefTensor, cond: Float32Array) => refUnet({ sample, timestep, encoder_hidden_states: emb, img_condition: { data: cond, dims } }, input.maskSize);
    const eText = pass(promptEmb, condition);
    lastMask = eText.mask.data;
    let e: Float32Array;
    if (guided) {
      const eImage = pass(emptyEmb, condition).noise_pred.data;
      const eUncond = pass(emptyEmb, zeros).noise_pred.data;
      e = eText.noise_pred.data.map((v, i) => eUncond[i] + input.guidance * (v - eImage[i]) + input.imageGuidance * (eImage[i] - eUncond[i]));
    } else {
      e = eText.noise_pred.data;
    }
    scheduler.step(e, t, latents, { out: latents });
  }

  const frames: Float32Array[] = [];
  for (let t = 0; t < T; t++) {
    const latent = new Float32Array(4 * h * w);
    for (let c = 0; c < 4; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) latent[(c * h + y) * w + x] = latents[at(c, t, y, x)] / input.latentScale;
    const image = refVaeDecoder({ data: latent, dims: [1, 4, h, w] }).data;
    const rgb = new Float32Array(H * W * 3);
    for (let p = 0; p < H * W; p++) {
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] = 255 * Math.min(1, Math.max(0, image[c * H * W + p] / 2 + 0.5));
    }
    frames.push(rgb);
  }
  return { latents, frames, lastMask };
}

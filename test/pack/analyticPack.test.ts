// The analytic pack's models, run by onnxruntime through the pack loader, must compute exactly
// what analyticReference.ts says (to float32 rounding), so an end-to-end sampler test on this pack
// can compare against a pure-TypeScript run of the same loop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack, type LoadedPack } from '../../src/engine/lgvi/pack/loadPack';
import type { FloatTensor } from '../../src/engine/lgvi/pack/hostTensors';
import { float16ToFloat32, float32ToFloat16 } from '../../src/engine/onnx/float16';
import { refTextEncoder, refUnet, refVaeDecoder, refVaeEncoder, type RefTensor } from '../helpers/analyticReference';
import { SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../helpers/fixturePacks';
import { seededRandom } from '../helpers/packs/seededRandom';

function maxAbsDiff(a: FloatTensor | RefTensor, b: RefTensor): number {
  expect(a.dims).toEqual(b.dims);
  let worst = 0;
  for (let i = 0; i < b.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
  return worst;
}

const rng = seededRandom(20240611);
const B = 3;
const { frames: T } = SMALL_WORKING;
const H = SMALL_WORKING.height;
const W = SMALL_WORKING.width;
const h = H / 8;
const w = W / 8;

const ids = Int32Array.from({ length: 2 * 77 }, () => Math.floor(rng.next() * 49408));
const image: RefTensor = { data: rng.uniforms(2 * 3 * H * W, -1, 1), dims: [2, 3, H, W] };
const latent: RefTensor = { data: rng.normals(2 * 4 * h * w), dims: [2, 4, h, w] };
const unetInputs = {
  sample: { data: rng.normals(B * 4 * T * h * w), dims: [B, 4, T, h, w] },
  timestep: { data: Float32Array.from([999, 500.5, 1]), dims: [B] },
  encoder_hidden_states: { data: rng.normals(B * 77 * 768, 0.5), dims: [B, 77, 768] },
  img_condition: { data: rng.normals(B * 4 * T * h * w), dims: [B, 4, T, h, w] },
};

describe.each([
  { label: 'int64 ids, mask at latent size', ids: 'int64' as const, maskSize: 'latent' as const },
  { label: 'int32 ids, mask at image size', ids: 'int32' as const, maskSize: 'image' as const },
])('analytic pack ($label)', ({ ids: idsDtype, maskSize }) => {
  let fixture: FixturePack;
  let pack: LoadedPack;
  beforeAll(async () => {
    fixture = await writeAnalyticPack({ working: SMALL_WORKING, ids: idsDtype, maskSize });
    pack = await loadPack(fixture.dir, { providers: 'cpu' });
  });
  afterAll(async () => {
    await pack.release();
    await fixture.cleanup();
  });

  it('text encoder equals the reference', async () => {
    const out = await pack.models.textEncoder.run({ input_ids: { data: ids, dims: [2, 77] } });
    expect(maxAbsDiff(out.last_hidden_state, refTextEncoder(ids, [2, 77]))).toBeLessThanOrEqual(1e-5);
  });

  it('VAE encoder equals the reference', async () => {
    const out = await pack.models.vaeEncoder.run({ image });
    const ref = refVaeEncoder(image);
    expect(maxAbsDiff(out.latent_mean, ref.latent_mean)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(out.latent_logvar, ref.latent_logvar)).toBeLessThanOrEqual(1e-5);
  });

  it('VAE decoder equals the reference', async () => {
    const out = await pack.models.vaeDecoder.run({ latent });
    expect(maxAbsDiff(out.image, refVaeDecoder(latent))).toBeLessThanOrEqual(1e-5);
  });

  it('U-Net equals the reference', async () => {
    const out = await pack.models.unet.run(unetInputs);
    const ref = refUnet(unetInputs, maskSize);
    expect(maxAbsDiff(out.noise_pred, ref.noise_pred)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(out.mask, ref.mask)).toBeLessThanOrEqual(1e-5);
    expect(pack.maskResolution).toBe(maskSize);
  });

  it('decoding an encoding gives the 8x8-averaged image (the decoder inverts the encoder)', async () => {
    const { latent_mean } = await pack.models.vaeEncoder.run({ image });
    const { image: decoded } = await pack.models.vaeDecoder.run({ latent: latent_mean });
    const pooled = refVaeDecoder(refVaeEncoder(image).latent_mean);
    expect(maxAbsDiff(decoded, pooled)).toBeLessThanOrEqual(1e-5);
    // and that is the block average of the input
    let sum = 0;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) sum += image.data[y * W + x];
    expect(decoded.data[0]).toBeCloseTo(sum / 64, 5);
  });
});

describe('analytic pack, fp16 variant', () => {
  let fixture: FixturePack;
  let pack: LoadedPack;
  beforeAll(async () => {
    fixture = await writeAnalyticPack({ working: SMALL_WORKING, fp16: true });
    pack = await loadPack(fixture.dir, { providers: 'cpu', precision: 'fp16' });
  });
  afterAll(async () => {
    await pack.release();
    await fixture.cleanup();
  });

  const half = (t: RefTensor): RefTensor => ({ data: float16ToFloat32(float32ToFloat16(t.data)), dims: t.dims });

  it('feeds and returns float16 while the engine sees float32', async () => {
    const out = await pack.models.unet.run(unetInputs);
    expect(pack.models.unet.precision).toBe('fp16');
    expect(out.noise_pred.data).toBeInstanceOf(Float32Array);
    // Inputs are rounded to half on the way in and outputs on the way out; compare with the
    // reference on half-rounded inputs, to half precision of the result (|x| < 8: 2^-8 covers it).
    const ref = refUnet({ ...unetInputs, sample: half(unetInputs.sample), img_condition: half(unetInputs.img_condition), encoder_hidden_states: half(unetInputs.encoder_hidden_states) });
    expect(maxAbsDiff(out.noise_pred, ref.noise_pred)).toBeLessThanOrEqual(2 ** -8);
    expect(maxAbsDiff(out.mask, ref.mask)).toBeLessThanOrEqual(2 ** -10);
  });

  it('text encoder matches to half precision', async () => {
    const out = await pack.models.textEncoder.run({ input_ids: { data: ids, dims: [2, 77] } });
    expect(maxAbsDiff(out.last_hidden_state, refTextEncoder(ids, [2, 77]))).toBeLessThanOrEqual(2 ** -11);
  });
});

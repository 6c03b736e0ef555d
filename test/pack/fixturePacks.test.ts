// The fixture generators themselves: deterministic (same options, same bytes, so checksums and
// benchmark baselines are stable), and the bench pack really has LGVI's I/O sizes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/engine/lgvi/pack/loadPack';
import { checkManifestText } from '../../src/engine/lgvi/pack/parseManifest';
import { SMALL_WORKING, writeBenchPack, writeTinyRandomPack, type FixturePack } from '../helpers/fixturePacks';

const fixtures: FixturePack[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});

async function keep(p: Promise<FixturePack>): Promise<FixturePack> {
  const f = await p;
  fixtures.push(f);
  return f;
}

describe('fixture packs', () => {
  it('the tiny random pack is deterministic per seed', async () => {
    const a = await keep(writeTinyRandomPack({ working: SMALL_WORKING, seed: 7 }));
    const b = await keep(writeTinyRandomPack({ working: SMALL_WORKING, seed: 7 }));
    const c = await keep(writeTinyRandomPack({ working: SMALL_WORKING, seed: 8 }));
    expect(a.manifest.files.unet.sha256).toBe(b.manifest.files.unet.sha256);
    expect(a.manifest.files.unet.sha256).not.toBe(c.manifest.files.unet.sha256);
    expect(await readFile(join(a.dir, 'manifest.json'), 'utf8')).toBe(await readFile(join(b.dir, 'manifest.json'), 'utf8'));
  });

  it('writes a manifest that passes every check, with a tokenizer.json', async () => {
    const f = await keep(writeTinyRandomPack({ working: SMALL_WORKING, fp16: true, ids: 'int32' }));
    const result = checkManifestText(await readFile(join(f.dir, 'manifest.json'), 'utf8'));
    expect(result.ok).toBe(true);
    expect(f.manifest.files.textEncoder.inputs[0].dtype).toBe('int32');
    expect(JSON.parse(await readFile(join(f.dir, 'tokenizer.json'), 'utf8')).model.type).toBe('WordLevel');
  });

  it('the bench pack has LGVI sizes: 512x320 frames, 24x40x64 latents, [1,77,768] text, mask at image size', async () => {
    const f = await keep(writeBenchPack());
    expect(f.manifest.working).toEqual({ width: 512, height: 320, frames: 24, latentScale: 0.18215 });
    const pack = await loadPack(f.dir, { providers: 'cpu' });
    const text = await pack.models.textEncoder.run({ input_ids: { data: new Int32Array(77).fill(49407), dims: [1, 77] } });
    expect(text.last_hidden_state.dims).toEqual([1, 77, 768]);
    const frames = await pack.models.vaeEncoder.run({ image: { data: new Float32Array(2 * 3 * 320 * 512), dims: [2, 3, 320, 512] } });
    expect(frames.latent_mean.dims).toEqual([2, 4, 40, 64]);
    const n = 4 * 24 * 40 * 64;
    const unet = await pack.models.unet.run({
      sample: { data: new Float32Array(n), dims: [1, 4, 24, 40, 64] },
      timestep: { data: Float32Array.of(500), dims: [1] },
      encoder_hidden_states: text.last_hidden_state,
      img_condition: { data: new Float32Array(n), dims: [1, 4, 24, 40, 64] },
    });
    expect(unet.noise_pred.dims).toEqual([1, 4, 24, 40, 64]);
    expect(unet.mask.dims).toEqual([1, 1, 24, 320, 512]);
    const decoded = await pack.models.vaeDecoder.run({ latent: { data: new Float32Array(4 * 40 * 64), dims: [1, 4, 40, 64] } });
    expect(decoded.image.dims).toEqual([1, 3, 320, 512]);
    await pack.release();
  });
});

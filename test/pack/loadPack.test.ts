// Loading a pack: a good one opens lazily on the CPU here and runs; a broken one fails with
// MODEL_PACK_NOT_FOUND / MODEL_PACK_INVALID naming the file and the field or tensor at fault.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/engine/lgvi/pack/loadPack';
import { isLacunaError, type LacunaErrorCode } from '../../src/engine/util/errors';
import { SMALL_WORKING, editManifest, replaceModelFile, writeAnalyticPack, writeTinyRandomPack, type FixturePack } from '../helpers/fixturePacks';
import { analyticUnet, type SignatureTweak } from '../helpers/packs/analyticGraphs';

const fixtures: FixturePack[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});

async function tinyPack(options: Parameters<typeof writeTinyRandomPack>[0] = {}): Promise<FixturePack> {
  const f = await writeTinyRandomPack({ working: SMALL_WORKING, ...options });
  fixtures.push(f);
  return f;
}

async function analyticPack(options: Parameters<typeof writeAnalyticPack>[0] = {}): Promise<FixturePack> {
  const f = await writeAnalyticPack({ working: SMALL_WORKING, ...options });
  fixtures.push(f);
  return f;
}

/** The error a promise rejects with, checked to be a LacunaError of `code`. */
async function failure(p: Promise<unknown>, code: LacunaErrorCode): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (!isLacunaError(e, code)) throw e;
    return e.message;
  }
  throw new Error(`expected ${code}, but it succeeded`);
}

const unetFeeds = (b: number) => {
  const { frames: t, height, width } = SMALL_WORKING;
  const n = b * 4 * t * (height / 8) * (width / 8);
  return {
    sample: { data: new Float32Array(n).fill(0.1), dims: [b, 4, t, height / 8, width / 8] },
    timestep: { data: new Float32Array(b).fill(10), dims: [b] },
    encoder_hidden_states: { data: new Float32Array(b * 77 * 768), dims: [b, 77, 768] },
    img_condition: { data: new Float32Array(n), dims: [b, 4, t, height / 8, width / 8] },
  };
};

describe('loading a valid pack', () => {
  it('verifies files, reports providers and opens sessions on first use', async () => {
    const fixture = await tinyPack();
    const notices: string[] = [];
    const pack = await loadPack(fixture.dir, { onNotice: (m) => notices.push(m) });
    expect(pack.manifest.id).toBe('fixture-tiny-random');
    expect(pack.providers.candidates.at(-1)).toBe('cpu');
    expect(pack.providers.statuses.map((s) => s.name)).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
    expect(pack.fileChecks.map((c) => `${c.path}:${c.status}:${c.checksum}`)).toEqual([
      'tokenizer.json:ok:hashed',
      'text_encoder.onnx:ok:hashed',
      'vae_encoder.onnx:ok:hashed',
      'vae_decoder.onnx:ok:hashed',
      'unet.onnx:ok:hashed',
    ]);
    expect(pack.tokenizerPath).toBe(join(fixture.dir, 'tokenizer.json'));
    expect(pack.maskResolution).toBe('latent');
    expect(pack.models.unet.isOpen).toBe(false);

    const out = await pack.models.unet.run(unetFeeds(3));
    expect(pack.models.unet.isOpen).toBe(true);
    expect(pack.models.textEncoder.isOpen).toBe(false);
    expect(pack.models.unet.provider).toBe('cpu');
    expect(pack.models.unet.precision).toBe('fp32');
    expect(out.noise_pred.dims).toEqual([3, 4, 4, 5, 8]);
    expect(out.mask.dims).toEqual([3, 1, 4, 5, 8]);
    expect(out.mask.data.every((v) => v > 0 && v < 1)).toBe(true);
    expect(out.noise_pred.data.every(Number.isFinite)).toBe(true);

    // Released after the job, reopened by the next one.
    await pack.release();
    expect(pack.models.unet.isOpen).toBe(false);
    const again = await pack.models.unet.run(unetFeeds(1));
    expect(Array.from(again.noise_pred.data)).toEqual(Array.from(out.noise_pred.data.subarray(0, again.noise_pred.data.length)));
    await pack.release();
    expect(notices).toEqual([]);
  });

  it('opens every session up front with eager', async () => {
    const fixture = await tinyPack({ maskSize: 'image' });
    const pack = await loadPack(fixture.dir, { eager: true, providers: 'cpu' });
    expect(Object.values(pack.models).every((m) => m.isOpen)).toBe(true);
    expect(pack.maskResolution).toBe('image');
    const out = await pack.models.unet.run(unetFeeds(1));
    expect(out.mask.dims).toEqual([1, 1, 4, 40, 64]);
    await pack.release();
  });

  it('uses fp16 variants where asked and fp32 on the CPU under "auto"', async () => {
    const fixture = await tinyPack({ fp16: true });
    const auto = await loadPack(fixture.dir, { providers: 'cpu' });
    expect(auto.fileChecks.map((c) => c.path)).not.toContain('unet.fp16.onnx');
    await auto.models.vaeDecoder.run({ latent: { data: new Float32Array(4 * 5 * 8), dims: [1, 4, 5, 8] } });
    expect(auto.models.vaeDecoder.precision).toBe('fp32');
    await auto.release();

    const half = await loadPack(fixture.dir, { providers: 'cpu', precision: 'fp16' });
    expect(half.fileChecks.map((c) => c.path)).toContain('unet.fp16.onnx');
    const out = await half.models.vaeDecoder.run({ latent: { data: new Float32Array(4 * 5 * 8), dims: [1, 4, 5, 8] } });
    expect(half.models.vaeDecoder.precision).toBe('fp16');
    expect(out.image.data).toBeInstanceOf(Float32Array);
    await half.release();
  });

  it('loads a U-Net whose weights are in an external-data file', async () => {
    const fixture = await analyticPack({ externalData: true });
    const pack = await loadPack(fixture.dir);
    expect(pack.fileChecks.map((c) => c.path)).toContain('unet.onnx.data');
    const out = await pack.models.unet.run(unetFeeds(2));
    expect(out.noise_pred.dims).toEqual([2, 4, 4, 5, 8]);
    await pack.release();
  });

  it('rejects feeds that do not fit the manifest, naming the tensor and dim', async () => {
    const fixture = await analyticPack();
    const pack = await loadPack(fixture.dir);
    const feeds = unetFeeds(2);
    await expect(pack.models.unet.run({ ...feeds, timestep: { data: new Float32Array(3), dims: [3] } })).rejects.toThrow(
      'unet.onnx: input "timestep" dim 0 (B) is 3 but "sample" has B=2',
    );
    await expect(pack.models.unet.run({ ...feeds, encoder_hidden_states: { data: new Float32Array(2 * 77 * 512), dims: [2, 77, 512] } })).rejects.toThrow(
      'unet.onnx: input "encoder_hidden_states" dim 2 is 512, the manifest fixes it at 768',
    );
    const { img_condition: _omitted, ...missing } = feeds;
    await expect(pack.models.unet.run(missing)).rejects.toThrow('unet.onnx: input "img_condition" was not given');
    await expect(pack.models.vaeEncoder.run({ image: { data: new Float32Array(3 * 36 * 64), dims: [1, 3, 36, 64] } })).rejects.toThrow(
      'vae_encoder.onnx: input "image" dim 2 (H) is 36, which is not a multiple of 8',
    );
    await pack.release();
  });
});

describe('packs that are not there', () => {
  it('MODEL_PACK_NOT_FOUND for a missing folder or one without manifest.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-empty-'));
    try {
      expect(await failure(loadPack(join(dir, 'nope')), 'MODEL_PACK_NOT_FOUND')).toMatch(/does not exist/);
      expect(await failure(loadPack(dir), 'MODEL_PACK_NOT_FOUND')).toMatch(/has no manifest\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('broken manifests', () => {
  it('a syntax error names manifest.json with line and column', async () => {
    const fixture = await tinyPack();
    const path = join(fixture.dir, 'manifest.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"id":', '"id"'));
    const message = await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID');
    expect(message).toMatch(/manifest\.json: \(syntax\): not valid JSON at line \d+, column \d+/);
  });

  it('unknown fields are named with their path', async () => {
    const fixture = await tinyPack();
    await editManifest(fixture.dir, (m) => {
      m.files.unet.inputs[0] = { ...m.files.unet.inputs[0], layout: 'NCTHW' } as (typeof m.files.unet.inputs)[0];
      m.homepage = 'x';
    });
    const message = await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID');
    expect(message).toContain('manifest.json: homepage: unknown field "homepage"');
    expect(message).toContain('manifest.json: files.unet.inputs[0].layout: unknown field "layout"');
  });

  it('a contract violation in the manifest names the field', async () => {
    const fixture = await tinyPack();
    await editManifest(fixture.dir, (m) => (m.files.textEncoder.outputs[0].name = 'hidden_states'));
    const message = await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID');
    expect(message).toContain('manifest.json: files.textEncoder.outputs[0].name: "hidden_states" is not an output of the LGVI text encoder');
  });
});

describe('missing and damaged files', () => {
  it('names every missing file and its manifest field', async () => {
    const fixture = await tinyPack();
    await rm(join(fixture.dir, 'vae_decoder.onnx'));
    await rm(join(fixture.dir, 'tokenizer.json'));
    const message = await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID');
    expect(message).toContain('vae_decoder.onnx (files.vaeDecoder): vae_decoder.onnx is missing');
    expect(message).toContain('tokenizer.json (files.tokenizer): tokenizer.json is missing');
  });

  it('a corrupt file (same size, other bytes) fails its checksum', async () => {
    const fixture = await tinyPack();
    const path = join(fixture.dir, 'unet.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 10] ^= 0xff;
    await writeFile(path, bytes);
    const message = await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID');
    expect(message).toMatch(/unet\.onnx \(files\.unet\): unet\.onnx has SHA-256 [0-9a-f]{64}, the manifest expects [0-9a-f]{64}/);
  });

  it('a truncated file is reported by size, without hashing', async () => {
    const fixture = await tinyPack();
    await truncate(join(fixture.dir, 'text_encoder.onnx'), 100);
    const message = await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID');
    expect(message).toMatch(/text_encoder\.onnx is 100 bytes but the manifest says \d+ \(incomplete download/);
  });

  it('a missing external-data file is named', async () => {
    const fixture = await analyticPack({ externalData: true });
    await rm(join(fixture.dir, 'unet.onnx.data'));
    expect(await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID')).toContain('unet.onnx.data (files.unet): unet.onnx.data is missing');
  });

  it('a folder where a file should be is reported', async () => {
    const fixture = await tinyPack();
    await rm(join(fixture.dir, 'unet.onnx'));
    await mkdir(join(fixture.dir, 'unet.onnx'));
    expect(await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID')).toContain('unet.onnx is not a file');
  });

  it('a tokenizer.json that is not a tokenizers file is rejected', async () => {
    const fixture = await tinyPack();
    const bytes = Buffer.from('{"vocab": {}}');
    await writeFile(join(fixture.dir, 'tokenizer.json'), bytes);
    await editManifest(fixture.dir, (m) => {
      m.files.tokenizer.size = bytes.length;
      m.files.tokenizer.sha256 = createHash('sha256').update(bytes).digest('hex');
    });
    expect(await failure(loadPack(fixture.dir), 'MODEL_PACK_INVALID')).toContain('tokenizer.json is not a Hugging Face tokenizer.json');
  });

  it('checksums: false accepts a same-size corrupt file (pack development) but not a missing one', async () => {
    const fixture = await tinyPack();
    const path = join(fixture.dir, 'vae_encoder.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 10] ^= 0x01;
    await writeFile(path, bytes);
    const pack = await loadPack(fixture.dir, { checksums: false });
    expect(pack.fileChecks.every((c) => c.checksum === 'skipped')).toBe(true);
    await pack.release();
    await rm(join(fixture.dir, 'unet.onnx'));
    expect(await failure(loadPack(fixture.dir, { checksums: false }), 'MODEL_PACK_INVALID')).toContain('unet.onnx is missing');
  });
});

describe('model files that disagree with the manifest', () => {
  async function packWithUnet(tweak: SignatureTweak): Promise<FixturePack> {
    const fixture = await analyticPack();
    await replaceModelFile(fixture.dir, 'unet', analyticUnet({ float: 'float32', ids: 'int64' }, 'latent', tweak).toBytes());
    return fixture;
  }

  it('a misnamed U-Net input is named with the model file, at open and with eager', async () => {
    const fixture = await packWithUnet({ rename: { sample: 'latents' } });
    const pack = await loadPack(fixture.dir);
    const message = await failure(pack.models.unet.open(), 'MODEL_PACK_INVALID');
    expect(message).toContain('unet.onnx does not match the manifest (files.unet)');
    expect(message).toContain('unet.onnx: input "sample" is not in the model (its inputs: latents, timestep, encoder_hidden_states, img_condition)');
    expect(message).toContain('unet.onnx: the model has an input "latents" that the manifest does not list');
    expect(await failure(loadPack(fixture.dir, { eager: true }), 'MODEL_PACK_INVALID')).toContain('input "sample" is not in the model');
    await pack.release();
  });

  it('a misnamed output is named', async () => {
    const fixture = await packWithUnet({ rename: { mask: 'mask_logits' } });
    const pack = await loadPack(fixture.dir);
    expect(await failure(pack.models.unet.open(), 'MODEL_PACK_INVALID')).toContain('unet.onnx: output "mask" is not in the model (its outputs: noise_pred, mask_logits)');
  });

  it('a wrong rank is named with both shapes', async () => {
    const fixture = await packWithUnet({ shapes: { sample: ['B', 4, 'h', 'w'] } });
    const pack = await loadPack(fixture.dir);
    expect(await failure(pack.models.unet.open(), 'MODEL_PACK_INVALID')).toContain(
      'unet.onnx: input "sample" has rank 4 [B, 4, h, w] in the model but rank 5 [B, 4, T, h, w] in the manifest',
    );
  });

  it('a wrong element type is named', async () => {
    const fixture = await packWithUnet({ dtypes: { timestep: 'int64' } });
    const pack = await loadPack(fixture.dir);
    expect(await failure(pack.models.unet.open(), 'MODEL_PACK_INVALID')).toContain('unet.onnx: input "timestep" is int64 in the model but float32 in the manifest');
  });

  it('a fixed dim where the manifest promises a variable one is named', async () => {
    const fixture = await packWithUnet({ shapes: { img_condition: [2, 4, 'T', 'h', 'w'] } });
    const pack = await loadPack(fixture.dir);
    expect(await failure(pack.models.unet.open(), 'MODEL_PACK_INVALID')).toContain(
      'unet.onnx: input "img_condition" dim 0 is fixed at 2 in the model but the manifest declares it variable (B)',
    );
  });

  it('an extra model input is named', async () => {
    const fixture = await packWithUnet({ extraInput: 'guidance' });
    const pack = await loadPack(fixture.dir);
    expect(await failure(pack.models.unet.open(), 'MODEL_PACK_INVALID')).toContain('unet.onnx: the model has an input "guidance" that the manifest does not list');
  });

  it('a file onnxruntime cannot parse is reported as unloadable', async () => {
    const fixture = await analyticPack();
    await replaceModelFile(fixture.dir, 'vaeDecoder', new TextEncoder().encode('not an onnx model'));
    const pack = await loadPack(fixture.dir);
    expect(await failure(pack.models.vaeDecoder.open(), 'MODEL_PACK_INVALID')).toMatch(/^vae_decoder\.onnx could not be loaded by onnxruntime:\n {2}cpu: /);
  });
});

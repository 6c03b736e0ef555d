// `lacuna models verify`: a full report (every file, both precisions, tensor names checked in a
// real session, providers), never stopping at the first problem.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256File, type HashFile } from '../../src/engine/lgvi/pack/checksums';
import { verifyPack } from '../../src/engine/lgvi/pack/verifyPack';
import { formatVerifyReport } from '../../src/engine/lgvi/pack/verifyReportText';
import { isLacunaError } from '../../src/engine/util/errors';
import { SMALL_WORKING, editManifest, replaceModelFile, writeAnalyticPack, type FixturePack } from '../helpers/fixturePacks';
import { analyticUnet } from '../helpers/packs/analyticGraphs';

const fixtures: FixturePack[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});

async function pack(options: Parameters<typeof writeAnalyticPack>[0] = {}): Promise<FixturePack> {
  const f = await writeAnalyticPack({ working: SMALL_WORKING, ...options });
  fixtures.push(f);
  return f;
}

describe('verifyPack', () => {
  it('reports a good pack as ok, every file and variant, with providers', async () => {
    const fixture = await pack({ fp16: true, externalData: true, maskSize: 'image' });
    const report = await verifyPack(fixture.dir);
    expect(report.ok).toBe(true);
    expect(report.manifest).toEqual({ ok: true, id: 'fixture-analytic', name: 'Analytic fixture pack', version: '0.0.1', maskResolution: 'image' });
    expect(report.files.map((f) => `${f.path}:${f.variant ?? '-'}:${f.status}:${f.checksum}`)).toEqual([
      'text_encoder.onnx:fp32:ok:hashed',
      'text_encoder.fp16.onnx:fp16:ok:hashed',
      'vae_encoder.onnx:fp32:ok:hashed',
      'vae_encoder.fp16.onnx:fp16:ok:hashed',
      'vae_decoder.onnx:fp32:ok:hashed',
      'vae_decoder.fp16.onnx:fp16:ok:hashed',
      'unet.onnx:fp32:ok:hashed',
      'unet.fp16.onnx:fp16:ok:hashed',
      'tokenizer.json:-:ok:hashed',
    ]);
    expect(report.providers.candidates).toContain('cpu');
    expect(report.cacheWritten).toBe(true);

    const text = formatVerifyReport(report);
    expect(text).toContain('manifest.json: ok (Analytic fixture pack 0.0.1, id fixture-analytic; mask at image size)');
    expect(text).toContain('unet.fp16.onnx (fp16): ok (checksum hashed)');
    expect(text).toContain('CPU: available (always available)');
    expect(text.trim().endsWith('Pack is OK.')).toBe(true);

    // A second verify uses the cache; rehash reads everything again.
    const spy = vi.fn<HashFile>((p, o) => sha256File(p, o));
    const again = await verifyPack(fixture.dir, { hashFile: spy });
    expect(again.files.every((f) => f.checksum === 'cached')).toBe(true);
    expect(spy).not.toHaveBeenCalled();
    await verifyPack(fixture.dir, { hashFile: spy, rehash: true });
    expect(spy).toHaveBeenCalledTimes(11); // 8 models, U-Net data x2, tokenizer
  });

  it('lists every problem: missing, corrupt, misnamed tensors, bad data file', async () => {
    const fixture = await pack({ fp16: true, externalData: true });
    await rm(join(fixture.dir, 'vae_encoder.fp16.onnx'));
    const te = join(fixture.dir, 'text_encoder.onnx');
    const bytes = await readFile(te);
    bytes[bytes.length - 3] ^= 0x10;
    await writeFile(te, bytes);
    await replaceModelFile(fixture.dir, 'unet', analyticUnet({ float: 'float16', ids: 'int64' }, 'latent', { rename: { img_condition: 'cond' } }).toBytes(), 'fp16');
    // The fp32 U-Net's external data goes missing.
    await rm(join(fixture.dir, 'unet.onnx.data'));

    const report = await verifyPack(fixture.dir);
    expect(report.ok).toBe(false);
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f]));
    expect(byPath['vae_encoder.fp16.onnx'].status).toBe('missing');
    expect(byPath['text_encoder.onnx'].status).toBe('bad-checksum');
    expect(byPath['text_encoder.onnx'].problems[0]).toMatch(/^text_encoder\.onnx has SHA-256 [0-9a-f]{64}, the manifest expects/);
    expect(byPath['unet.onnx'].status).toBe('missing');
    expect(byPath['unet.onnx'].problems).toEqual(['unet.onnx.data is missing']);
    expect(byPath['unet.fp16.onnx'].status).toBe('bad-tensors');
    expect(byPath['unet.fp16.onnx'].problems).toEqual([
      'unet.fp16.onnx: input "img_condition" is not in the model (its inputs: sample, timestep, encoder_hidden_states, cond)',
      'unet.fp16.onnx: the model has an input "cond" that the manifest does not list',
    ]);
    expect(byPath['vae_decoder.onnx'].status).toBe('ok');

    const text = formatVerifyReport(report);
    expect(text).toContain('vae_encoder.fp16.onnx (fp16): MISSING');
    expect(text).toContain('unet.fp16.onnx (fp16): TENSORS DO NOT MATCH MANIFEST');
    expect(text.trim().endsWith('Pack has problems (see above).')).toBe(true);
  });

  it('reports an unloadable model and a bad tokenizer', async () => {
    const fixture = await pack();
    await replaceModelFile(fixture.dir, 'vaeDecoder', new TextEncoder().encode('garbage'));
    // A tokenizer.json with a matching checksum that is still not a tokenizers file.
    const tokenizer = Buffer.from('[]');
    await writeFile(join(fixture.dir, 'tokenizer.json'), tokenizer);
    const sha = await sha256File(join(fixture.dir, 'tokenizer.json'));
    await editManifest(fixture.dir, (m) => {
      m.files.tokenizer.size = tokenizer.length;
      m.files.tokenizer.sha256 = sha;
    });
    const report = await verifyPack(fixture.dir);
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f]));
    expect(byPath['vae_decoder.onnx'].status).toBe('unloadable');
    expect(byPath['vae_decoder.onnx'].problems[0]).toMatch(/^onnxruntime cannot load vae_decoder\.onnx: /);
    expect(byPath['tokenizer.json'].status).toBe('bad-format');
  });

  it('reports manifest problems without checking files', async () => {
    const fixture = await pack();
    await editManifest(fixture.dir, (m) => {
      m.working.width = 100;
      m.extra = true;
    });
    const report = await verifyPack(fixture.dir);
    expect(report.ok).toBe(false);
    expect(report.files).toEqual([]);
    expect(report.manifest.ok).toBe(false);
    if (report.manifest.ok) return;
    expect(report.manifest.problems.map((p) => p.field).sort()).toEqual(['extra', 'working.width']);
    expect(formatVerifyReport(report)).toContain('manifest.json: INVALID\n    ');
  });

  it('skips the session check when asked and throws NOT_FOUND for a missing folder', async () => {
    const fixture = await pack();
    const report = await verifyPack(fixture.dir, { sessions: false });
    expect(report.ok).toBe(true);
    await expect(verifyPack(join(fixture.dir, 'nope'))).rejects.toSatisfy((e) => isLacunaError(e, 'MODEL_PACK_NOT_FOUND'));
  });
});

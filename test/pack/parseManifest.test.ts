// Manifest problems must name manifest.json and the exact field, so whoever fixes the pack (or the
// export script) knows where to look.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContract, maskResolution } from '../../src/engine/lgvi/pack/contract';
import type { PackManifest } from '../../src/engine/lgvi/pack/manifest';
import { checkManifestText, parseManifest } from '../../src/engine/lgvi/pack/parseManifest';
import { isLacunaError } from '../../src/engine/util/errors';
import { SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../helpers/fixturePacks';

let fixture: FixturePack;
beforeAll(async () => {
  fixture = await writeAnalyticPack({ working: SMALL_WORKING, fp16: true });
});
afterAll(() => fixture.cleanup());

/** Problems after `edit`; fp16 variants are dropped first unless kept, so edits need not be made twice. */
function problemsOf(edit: (m: PackManifest & Record<string, unknown>) => void, keepFp16 = false): string[] {
  const m = structuredClone(fixture.manifest) as PackManifest & Record<string, unknown>;
  if (!keepFp16) for (const entry of Object.values(m.files)) delete (entry as { fp16?: unknown }).fp16;
  edit(m);
  const result = checkManifestText(JSON.stringify(m));
  return result.ok ? [] : result.problems.map((p) => `${p.field}: ${p.message}`);
}

describe('manifest syntax', () => {
  it('reports a JSON syntax error with line and column', () => {
    const text = '{\n  "format": "lacuna.lgvi-pack",\n  "id": "x",,\n}';
    const result = checkManifestText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0].field).toBe('(syntax)');
    expect(result.problems[0].message).toMatch(/not valid JSON at line 3, column \d+/);
  });

  it('throws MODEL_PACK_INVALID naming manifest.json and the pack', () => {
    try {
      parseManifest('{ nope', '/packs/x');
      expect.unreachable();
    } catch (e) {
      expect(isLacunaError(e, 'MODEL_PACK_INVALID')).toBe(true);
      expect((e as Error).message).toContain('/packs/x');
      expect((e as Error).message).toContain('manifest.json: (syntax): not valid JSON');
    }
  });

  it('accepts a UTF-8 byte-order mark', () => {
    expect(checkManifestText(`\uFEFF${JSON.stringify(fixture.manifest)}`).ok).toBe(true);
  });
});

describe('manifest structure', () => {
  it('accepts the fixture manifest', () => {
    const result = checkManifestText(JSON.stringify(fixture.manifest));
    expect(result.ok).toBe(true);
  });

  it('names unknown fields with their full path', () => {
    expect(problemsOf((m) => Object.assign(m.files.unet.inputs[1], { layout: 'x' }))).toEqual(['files.unet.inputs[1].layout: unknown field "layout"']);
    expect(problemsOf((m) => (m.licence_url = 'x'))).toEqual(['licence_url: unknown field "licence_url"']);
  });

  it('names missing fields', () => {
    expect(problemsOf((m) => delete (m.files.vaeDecoder as Partial<PackManifest['files']['vaeDecoder']>).sha256)).toEqual([
      'files.vaeDecoder.sha256: required field is missing (string)',
    ]);
  });

  it('names a bad dtype and a bad dim', () => {
    const problems = problemsOf((m) => {
      (m.files.unet.inputs[1] as { dtype: string }).dtype = 'double';
      (m.files.unet.inputs[0].shape as unknown[])[2] = 'frames';
    });
    expect(problems).toHaveLength(2);
    expect(problems).toContain('files.unet.inputs[0].shape[2]: must be a positive integer or one of B, T, H, W, h, w');
    expect(problems.find((p) => p.startsWith('files.unet.inputs[1].dtype:'))).toMatch(/float32/);
  });

  it('says "update Lacuna" for a newer format version instead of listing fields', () => {
    const problems = problemsOf((m) => Object.assign(m, { formatVersion: 2, newThing: true }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^formatVersion: is 2; .* Update Lacuna\.$/);
  });
});

describe('LGVI contract', () => {
  it('rejects a misnamed tensor and reports the missing one', () => {
    const problems = problemsOf((m) => (m.files.unet.inputs[3].name = 'image_condition'));
    expect(problems).toContain(
      'files.unet.inputs[3].name: "image_condition" is not an input of the LGVI U-Net (expected sample, timestep, encoder_hidden_states, img_condition)',
    );
    expect(problems).toContain('files.unet.inputs: missing input "img_condition"');
  });

  it('rejects a wrong rank with the expected shape', () => {
    const problems = problemsOf((m) => (m.files.unet.inputs[0].shape = ['B', 4, 'h', 'w']));
    expect(problems).toEqual(['files.unet.inputs[0].shape: sample must have shape [B, 4, T, h, w], got [B, 4, h, w] (rank 4, expected rank 5)']);
  });

  it('rejects a wrong fixed dim and a dim inconsistent with the working size', () => {
    expect(problemsOf((m) => (m.files.textEncoder.outputs[0].shape = ['B', 77, 1024]))[0]).toMatch(/^files\.textEncoder\.outputs\[0\]\.shape: last_hidden_state must have shape \[B, 77, 768\]/);
    // SMALL_WORKING is 64x40, so latents are 8 wide: a fixed 64 is wrong for w.
    expect(problemsOf((m) => (m.files.vaeDecoder.inputs[0].shape = ['B', 4, 5, 64]))[0]).toMatch(/^files\.vaeDecoder\.inputs\[0\]\.shape:/);
    expect(problemsOf((m) => (m.files.vaeDecoder.inputs[0].shape = [1, 4, 5, 8]))).toEqual([]);
  });

  it('rejects int ids as float and float latents as int', () => {
    expect(problemsOf((m) => (m.files.textEncoder.inputs[0].dtype = 'float32'))).toEqual(['files.textEncoder.inputs[0].dtype: input_ids must be int64 or int32, not float32']);
    expect(problemsOf((m) => (m.files.unet.inputs[1].dtype = 'int64'))).toEqual(['files.unet.inputs[1].dtype: timestep must be float32 or float16, not int64']);
  });

  it('accepts a mask at latent or image size and reports which', () => {
    expect(maskResolution(fixture.manifest)).toBe('latent');
    const m = structuredClone(fixture.manifest);
    m.files.unet.outputs[1].shape = ['B', 1, 'T', 'H', 'W'];
    m.files.unet.fp16!.outputs[1].shape = ['B', 1, 'T', 'H', 'W'];
    expect(checkContract(m)).toEqual([]);
    expect(maskResolution(m)).toBe('image');
    m.files.unet.fp16!.outputs[1].shape = ['B', 1, 'T', 'h', 'W'];
    m.files.unet.outputs[1].shape = ['B', 1, 'T', 'h', 'W'];
    expect(checkContract(m).map((p) => p.field)).toEqual(['files.unet.outputs[1].shape', 'files.unet.fp16.outputs[1].shape']);
  });

  it('requires the fp16 variant to match the fp32 geometry', () => {
    const problems = problemsOf((m) => (m.files.unet.fp16!.outputs[1].shape = ['B', 1, 'T', 'H', 'W']), true);
    expect(problems).toEqual(['files.unet.fp16: the fp16 model must match the fp32 one: mask has shape [B, 1, T, H, W] but the fp32 model has [B, 1, T, h, w]']);
  });

  it('rejects duplicate tensors and inconsistent fixed batch sizes', () => {
    expect(problemsOf((m) => m.files.vaeEncoder.outputs.push({ ...m.files.vaeEncoder.outputs[0] }))).toEqual([
      'files.vaeEncoder.outputs[2].name: "latent_mean" is listed twice',
    ]);
    expect(
      problemsOf((m) => {
        m.files.vaeDecoder.inputs[0].shape[0] = 2;
        m.files.vaeDecoder.outputs[0].shape[0] = 1;
      }),
    ).toEqual(['files.vaeDecoder: tensors fix different batch sizes (2, 1)']);
  });
});

// models/manifest.schema.json (for pack builders' tools) and the zod schema (the code's truth)
// must accept and reject the same manifests. The JSON Schema is converted with zod's own
// fromJSONSchema, so both run on the same examples without another validator.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PackManifestSchema, type PackManifest } from '../../src/engine/lgvi/pack/manifest';
import { SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../helpers/fixturePacks';

const schemaPath = fileURLToPath(new URL('../../models/manifest.schema.json', import.meta.url));
const jsonSchema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const fromFile = z.fromJSONSchema(jsonSchema);

type Mutable = Record<string, unknown> & PackManifest;
const clone = (m: PackManifest): Mutable => structuredClone(m) as Mutable;

let fixture: FixturePack;
let base: PackManifest;

beforeAll(async () => {
  fixture = await writeAnalyticPack({ working: SMALL_WORKING, fp16: true, externalData: true });
  base = fixture.manifest;
});
afterAll(() => fixture.cleanup());

/** Mutations of a valid manifest, each labelled with whether it should still be valid. */
const cases: [string, boolean, (m: Mutable) => void][] = [
  ['the fixture manifest as written', true, () => {}],
  ['with $schema and description', true, (m) => Object.assign(m, { $schema: './manifest.schema.json', description: 'x' })],
  ['scheduler with extra diffusers keys', true, (m) => Object.assign(m.scheduler, { beta_schedule: 'linear', foo: [1, 2] })],
  ['licence file inside the pack', true, (m) => Object.assign(m.licence, { file: 'LICENSE.txt' })],
  ['fixed dims instead of symbols', true, (m) => (m.files.unet.inputs[0].shape = [3, 4, 24, 40, 64])],
  ['no fp16 variant', true, (m) => delete m.files.unet.fp16],
  ['unknown top-level field', false, (m) => (m.extra = 1)],
  ['unknown field in a tensor', false, (m) => Object.assign(m.files.unet.inputs[0], { layout: 'NCTHW' })],
  ['unknown field in a file', false, (m) => Object.assign(m.files.tokenizer, { url: 'x' })],
  ['missing id', false, (m) => delete (m as Partial<Mutable>).id],
  ['missing files.unet', false, (m) => delete (m.files as Partial<PackManifest['files']>).unet],
  ['wrong format', false, (m) => ((m as Record<string, unknown>).format = 'other')],
  ['formatVersion 0', false, (m) => (m.formatVersion = 0)],
  ['id with capitals', false, (m) => (m.id = 'LGVI')],
  ['empty name', false, (m) => (m.name = '')],
  ['bad sha256 (uppercase)', false, (m) => (m.files.unet.sha256 = m.files.unet.sha256.toUpperCase())],
  ['bad sha256 (short)', false, (m) => (m.files.tokenizer.sha256 = 'abc')],
  ['negative size', false, (m) => (m.files.vaeDecoder.size = -1)],
  ['fractional size', false, (m) => (m.files.vaeDecoder.size = 1.5)],
  ['absolute path', false, (m) => (m.files.unet.path = '/etc/passwd')],
  ['path escaping the pack', false, (m) => (m.files.unet.path = '../unet.onnx')],
  ['path with .. inside', false, (m) => (m.files.unet.path = 'a/../../b.onnx')],
  ['windows path', false, (m) => (m.files.unet.path = 'C:\\models\\unet.onnx')],
  ['dtype not allowed', false, (m) => ((m.files.unet.inputs[0] as { dtype: string }).dtype = 'float64')],
  ['unknown dim symbol', false, (m) => ((m.files.unet.inputs[0].shape as unknown[])[2] = 'F')],
  ['zero dim', false, (m) => (m.files.unet.inputs[0].shape[1] = 0)],
  ['no inputs', false, (m) => (m.files.vaeEncoder.inputs = [])],
  ['width not a multiple of 8', false, (m) => (m.working.width = 100)],
  ['latentScale zero', false, (m) => (m.working.latentScale = 0)],
  ['steps zero', false, (m) => (m.defaults.steps = 0)],
  ['scheduler without _class_name', false, (m) => delete (m.scheduler as Record<string, unknown>)._class_name],
  ['scheduler num_train_timesteps fractional', false, (m) => (m.scheduler.num_train_timesteps = 999.5)],
  ['unknown field in the fp16 variant', false, (m) => Object.assign(m.files.unet.fp16!, { fp16: {} })],
  ['data file without checksum', false, (m) => delete (m.files.unet.data![0] as Partial<{ sha256: string }>).sha256],
  ['source without url', false, (m) => (m.source = {} as PackManifest['source'])],
];

describe('manifest.schema.json agrees with the zod manifest schema', () => {
  it.each(cases)('%s', (_label, valid, mutate) => {
    const m = clone(base);
    mutate(m);
    const byZod = PackManifestSchema.safeParse(m).success;
    const byFile = fromFile.safeParse(m).success;
    expect({ byZod, byFile }).toEqual({ byZod: valid, byFile: valid });
  });

  it('lists the same top-level fields and file roles', () => {
    expect(Object.keys(jsonSchema.properties).sort()).toEqual(Object.keys(PackManifestSchema.shape).sort());
    expect(Object.keys(jsonSchema.properties.files.properties).sort()).toEqual(Object.keys(PackManifestSchema.shape.files.shape).sort());
    expect([...jsonSchema.required].sort()).toEqual(
      Object.entries(PackManifestSchema.shape)
        .filter(([, s]) => !s.safeParse(undefined).success)
        .map(([k]) => k)
        .sort(),
    );
  });
});

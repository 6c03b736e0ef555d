import { copyFile, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileModelHandler, humanModelsDir } from '../../../src/engine/lite/detect/modelFiles';
import { isLacunaError } from '../../../src/engine/util/errors';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacuna-model-files-'));
  for (const f of ['centernet.json', 'centernet.bin']) await copyFile(join(humanModelsDir(), f), join(dir, f));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function loadError(path: string): Promise<unknown> {
  try {
    await fileModelHandler(path).load();
  } catch (e) {
    return e;
  }
  throw new Error('load() succeeded');
}

describe('fileModelHandler', () => {
  it('loads the shipped CenterNet: topology, every weight spec, all weight bytes', async () => {
    const artifacts = await fileModelHandler(join(dir, 'centernet.json')).load();
    const json = JSON.parse(await readFile(join(dir, 'centernet.json'), 'utf8'));
    expect(artifacts.modelTopology).toBeTruthy();
    expect(artifacts.weightSpecs).toHaveLength(json.weightsManifest[0].weights.length);
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe((await readFile(join(dir, 'centernet.bin'))).byteLength);
  });

  it('names a missing model.json', async () => {
    const path = join(dir, 'absent.json');
    const e = await loadError(path);
    expect(isLacunaError(e, 'MODEL_PACK_NOT_FOUND')).toBe(true);
    expect((e as Error).message).toContain(path);
  });

  it('names a model.json that is not JSON', async () => {
    await writeFile(join(dir, 'centernet.json'), '{"modelTopology": {"node": [');
    const e = await loadError(join(dir, 'centernet.json'));
    expect(isLacunaError(e, 'MODEL_PACK_INVALID')).toBe(true);
    expect((e as Error).message).toContain(join(dir, 'centernet.json'));
  });

  it('names JSON that is not a graph model', async () => {
    await writeFile(join(dir, 'centernet.json'), '{"hello": 1}');
    const e = await loadError(join(dir, 'centernet.json'));
    expect(isLacunaError(e, 'MODEL_PACK_INVALID')).toBe(true);
    expect((e as Error).message).toMatch(/not a tfjs graph model/);
  });

  it('names a missing weights file', async () => {
    await unlink(join(dir, 'centernet.bin'));
    const e = await loadError(join(dir, 'centernet.json'));
    expect(isLacunaError(e, 'MODEL_PACK_NOT_FOUND')).toBe(true);
    expect((e as Error).message).toContain(join(dir, 'centernet.bin'));
    expect((e as { hint?: string }).hint).toMatch(/npm ci|Reinstall/);
  });

  it('names a truncated weights file', async () => {
    await truncate(join(dir, 'centernet.bin'), 1000);
    const e = await loadError(join(dir, 'centernet.json'));
    expect(isLacunaError(e, 'MODEL_PACK_INVALID')).toBe(true);
    expect((e as Error).message).toContain(join(dir, 'centernet.bin'));
    expect((e as Error).message).toMatch(/1000 bytes/);
  });
});

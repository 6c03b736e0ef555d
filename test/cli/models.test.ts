import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyRandomPack } from '../helpers/fixturePacks';
import { lacuna, resultOf } from './cliHarness';

let pack: Awaited<ReturnType<typeof writeTinyRandomPack>>;
beforeAll(async () => {
  pack = await writeTinyRandomPack();
});
afterAll(() => pack.cleanup());

describe('lacuna models verify', () => {
  it('passes a complete pack, listing files and providers', async () => {
    const run = await lacuna('models', 'verify', pack.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('manifest.json: ok');
    expect(run.stdout).toMatch(/unet\.onnx/);
    expect(run.stdout).toMatch(/cpu/i);
  });

  it('fails with exit 6 naming the damaged file', async () => {
    writeFileSync(join(pack.dir, 'tokenizer.json'), '{"oops": true}');
    const run = await lacuna('--json', 'models', 'verify', pack.dir, '--rehash');
    expect(run.code).toBe(6);
    const report = resultOf(run) as { ok: boolean; files: { path: string; status: string }[] };
    expect(report.ok).toBe(false);
    expect(run.lines.at(-1)).toMatchObject({ type: 'error', code: 'MODEL_PACK_INVALID' });
    expect(JSON.stringify(report.files)).toContain('tokenizer.json');
  });

  it('says when there is no pack at all', async () => {
    const run = await lacuna('models', 'verify', join(pack.dir, 'nowhere'));
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('nowhere');
  });
});

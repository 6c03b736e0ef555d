import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPack } from '../../src/engine/lgvi/pack/verifyPack';
import { formatVerifyReport } from '../../src/engine/lgvi/pack/verifyReportText';
import { LGVI_I_MANIFEST, type LgviIManifest } from '../../src/engine/lgviI/manifest';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { writeLgviIFixturePack } from '../helpers/lgviIPack';

/**
 * `lacuna models verify` checks the LGVI-I part too: a pack whose lgvi-i.json names a missing
 * file, a model without the tensors the contract gives it (the decoder's KV cache), an unreadable
 * tokenizer or a broken lgvi-i.json is not "OK".
 */

let root: string;
let manifest: LgviIManifest;

async function packCopy(name: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir);
  await writeTinyRandomPack({ dir, working: SMALL_WORKING, textLength: 'any' });
  manifest = await writeLgviIFixturePack(dir, { seed: 3 });
  return dir;
}

const interactive = (files: readonly { role: string; path: string; status: string; problems: readonly string[] }[]) =>
  files.filter((f) => f.role.startsWith('lgvi-i')).map((f) => [f.role, f.status]);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lacuna-verify-lgvi-i-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('models verify: the LGVI-I part', () => {
  it('a whole pack: lgvi-i.json and each of its models and tokenizer are checked and ok', async () => {
    const dir = await packCopy('good');
    const report = await verifyPack(dir, { cacheDir: join(root, 'cache') });
    expect(interactive(report.files)).toEqual([
      ['lgvi-i', 'ok'],
      ['lgvi-i.vision', 'ok'],
      ['lgvi-i.projector', 'ok'],
      ['lgvi-i.embed', 'ok'],
      ['lgvi-i.decoder', 'ok'],
      ['lgvi-i.transfer', 'ok'],
      ['lgvi-i.tokenizer', 'ok'],
    ]);
    expect(report.ok).toBe(true);
    expect(formatVerifyReport(report)).toContain(`${LGVI_I_MANIFEST}: ok`);
  });

  it('a missing decoder, a transfer head that is another model, an unreadable tokenizer: each named, the pack not ok', async () => {
    const dir = await packCopy('broken');
    await rm(join(dir, manifest.decoder.file));
    await copyFile(join(dir, manifest.projector.file), join(dir, manifest.transfer.file));
    await writeFile(join(dir, manifest.tokenizer), '{ not json');
    const report = await verifyPack(dir, { cacheDir: join(root, 'cache') });
    expect(report.ok).toBe(false);
    const byRole = Object.fromEntries(report.files.filter((f) => f.role.startsWith('lgvi-i')).map((f) => [f.role, f]));
    expect(byRole['lgvi-i.decoder']).toMatchObject({ status: 'missing', problems: [`${manifest.decoder.file} is not in the pack`] });
    expect(byRole['lgvi-i.transfer'].status).toBe('bad-tensors');
    expect(byRole['lgvi-i.transfer'].problems).toEqual([`${manifest.transfer.file}: no input "hidden_states"`, `${manifest.transfer.file}: no output "prompt_embeds"`]);
    expect(byRole['lgvi-i.tokenizer'].status).toBe('bad-format');
    expect(byRole['lgvi-i.vision'].status).toBe('ok');
    const text = formatVerifyReport(report);
    expect(text).toMatch(/MISSING/);
    expect(text).toMatch(/Pack has problems/);
  });

  it('a broken lgvi-i.json is reported as such; a pack without one has no LGVI-I lines', async () => {
    const dir = await packCopy('bad-json');
    const text = await readFile(join(dir, LGVI_I_MANIFEST), 'utf8');
    await writeFile(join(dir, LGVI_I_MANIFEST), text.replace('"format"', '"formt"'));
    const report = await verifyPack(dir, { cacheDir: join(root, 'cache'), sessions: false });
    expect(interactive(report.files)).toEqual([['lgvi-i', 'bad-format']]);
    expect(report.ok).toBe(false);

    const plain = join(root, 'plain');
    await mkdir(plain);
    await writeTinyRandomPack({ dir: plain, working: SMALL_WORKING });
    expect(interactive((await verifyPack(plain, { cacheDir: join(root, 'cache'), sessions: false })).files)).toEqual([]);
  });
});

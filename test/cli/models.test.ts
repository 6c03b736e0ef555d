import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyRandomPack } from '../helpers/fixturePacks';
import { lacuna, resultOf } from './cliHarness';

// This file's record of checks goes to a data folder of its own, not the user's.
const dataDir = mkdtempSync(join(tmpdir(), 'lacuna-data-'));
process.env.LACUNA_DATA_DIR = dataDir;
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

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

  it('never takes a flipped byte with its mtime put back for "checksum cached"; --full re-hashes everything', async () => {
    const fresh = await writeTinyRandomPack();
    try {
      const first = await lacuna('models', 'verify', fresh.dir, '--no-sessions');
      expect(first.code, first.stderr).toBe(0);
      const again = await lacuna('models', 'verify', fresh.dir, '--no-sessions');
      expect(again.stdout).toContain('unet.onnx: ok (checksum cached)');
      const full = await lacuna('models', 'verify', fresh.dir, '--no-sessions', '--full');
      expect(full.stdout).toContain('unet.onnx: ok (checksum hashed)');
      expect(full.stdout).not.toContain('(checksum cached)');

      const path = join(fresh.dir, 'unet.onnx');
      execFileSync('cp', ['-p', path, `${path}.ref`]);
      const bytes = readFileSync(path);
      bytes[100] ^= 0x01;
      writeFileSync(path, bytes);
      execFileSync('touch', ['-r', `${path}.ref`, path]);
      const flipped = await lacuna('models', 'verify', fresh.dir, '--no-sessions');
      expect(flipped.code).toBe(6);
      expect(flipped.stdout).toContain('unet.onnx: BAD CHECKSUM');
      // The record of checks is Lacuna's, not the pack's.
      expect(readdirSync(fresh.dir).filter((n) => n.includes('verified'))).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  });

  it('says when there is no pack at all', async () => {
    const run = await lacuna('models', 'verify', join(pack.dir, 'nowhere'));
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('nowhere');
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBenchPack, writeTinyRandomPack } from '../helpers/fixturePacks';
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

  it('prints the U-Net memory estimate by models/README.md\'s formula (at LGVI\'s 512 x 320 x 24)', async () => {
    const bench = await writeBenchPack();
    const run = await lacuna('models', 'verify', bench.dir, '--no-sessions');
    const manifestText = readFileSync(join(bench.dir, 'manifest.json'), 'utf8');
    await bench.cleanup();
    expect(run.code, run.stderr).toBe(0);
    const manifest = JSON.parse(manifestText) as { working: { width: number; height: number; frames: number }; files: Record<string, { size: number; data?: { size: number }[] }> };
    const { width, height, frames } = manifest.working;
    // The README's formula, written out here rather than imported: scores = B·T·8·(h·w)²·bytes,
    // features = B·T·(h·w)·320·bytes·16, peak = weights (U-Net + VAE files) + 2·scores + features.
    const tokens = (width / 8) * (height / 8);
    const weights = ['unet', 'vaeEncoder', 'vaeDecoder'].reduce((a, r) => a + manifest.files[r].size + (manifest.files[r].data ?? []).reduce((b, d) => b + d.size, 0), 0);
    const peak = (batch: number, fused = false) => weights + (fused ? 0 : 2 * batch * frames * 8 * tokens * tokens * 4) + batch * frames * tokens * 320 * 4 * 16;
    const gb = (b: number) => `${(b / 2 ** 30).toFixed(1)} GB`;
    expect(run.stdout).toContain(`U-Net memory per window (${width}x${height}, ${frames} frames; plain attention unless fused):`);
    expect(peak(3)).toBeGreaterThan(10 * 2 ** 30); // 3·24·8·2560²·4 B: the scores alone are 15 GB in fp32
    expect(run.stdout).toContain(`fp32: batched guidance ~${gb(peak(3))} (one attention matrix ${gb(3 * frames * 8 * tokens * tokens * 4)}), separate passes ~${gb(peak(1))}, batched with fused attention ~${gb(peak(3, true))}`);
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

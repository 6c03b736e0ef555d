// Gigabyte files must not be re-hashed at every launch: once verified, a file is remembered in
// Lacuna's data folder (never inside the pack) by size, mtime, ctime and inode, and hashed again
// when any of them changes (or the manifest's checksum does).
import { mkdtemp, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { PackFileVerifier, VerifiedCache, sha256File, verifiedCachePath, type HashFile } from '../../src/engine/lgvi/pack/checksums';
import { loadPack } from '../../src/engine/lgvi/pack/loadPack';
import { isLacunaError } from '../../src/engine/util/errors';
import { SMALL_WORKING, editManifest, writeTinyRandomPack, type FixturePack } from '../helpers/fixturePacks';

// This file's caches go to a data folder of its own, not the user's.
const dataDir = mkdtempSync(join(tmpdir(), 'lacuna-data-'));
process.env.LACUNA_DATA_DIR = dataDir;
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const fixtures: FixturePack[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function pack(): Promise<FixturePack> {
  const f = await writeTinyRandomPack({ working: SMALL_WORKING });
  fixtures.push(f);
  return f;
}

/** sha256File wrapped in a spy, so tests can count which files were actually read. */
const spyHash = () => vi.fn<HashFile>((path, options) => sha256File(path, options));
const hashedNames = (spy: ReturnType<typeof spyHash>) => spy.mock.calls.map(([p]) => p.split(/[\\/]/).pop()).sort();

describe('verified-file cache', () => {
  it('hashes every file on first load and none on the second', async () => {
    const fixture = await pack();
    const first = spyHash();
    await (await loadPack(fixture.dir, { hashFile: first })).release();
    expect(hashedNames(first)).toEqual(['text_encoder.onnx', 'tokenizer.json', 'unet.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);
    await expect(stat(join(fixture.dir, '.lacuna-verified.json'))).rejects.toThrow(); // never in the pack
    const cacheFile = verifiedCachePath(fixture.dir);
    expect(cacheFile.startsWith(join(dataDir, 'model-checks'))).toBe(true);
    const cache = JSON.parse(await readFile(cacheFile, 'utf8'));
    expect(Object.keys(cache.files).sort()).toEqual(['text_encoder.onnx', 'tokenizer.json', 'unet.onnx', 'vae_decoder.onnx', 'vae_encoder.onnx']);

    const second = spyHash();
    const loaded = await loadPack(fixture.dir, { hashFile: second });
    expect(second).not.toHaveBeenCalled();
    expect(loaded.fileChecks.every((c) => c.checksum === 'cached')).toBe(true);
  });

  it('re-hashes a file whose mtime changed, and catches a change made behind its back', async () => {
    const fixture = await pack();
    await loadPack(fixture.dir);
    const path = join(fixture.dir, 'unet.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 5] ^= 0x55; // same size, new content, new mtime
    await writeFile(path, bytes);
    const later = new Date(Date.now() + 5000);
    await utimes(path, later, later);
    const spy = spyHash();
    await expect(loadPack(fixture.dir, { hashFile: spy })).rejects.toSatisfy((e) => isLacunaError(e, 'MODEL_PACK_INVALID'));
    expect(hashedNames(spy)).toEqual(['unet.onnx']);
    // The failed file is forgotten; restoring it makes it verify (by hashing) again.
    bytes[bytes.length - 5] ^= 0x55;
    await writeFile(path, bytes);
    const again = spyHash();
    await loadPack(fixture.dir, { hashFile: again });
    expect(hashedNames(again)).toEqual(['unet.onnx']);
  });

  it('re-hashes when the manifest expects a different checksum for an unchanged file', async () => {
    const fixture = await pack();
    await loadPack(fixture.dir);
    await editManifest(fixture.dir, (m) => (m.files.tokenizer.sha256 = '0'.repeat(64)));
    const spy = spyHash();
    await expect(loadPack(fixture.dir, { hashFile: spy })).rejects.toThrow(/tokenizer\.json has SHA-256/);
    expect(hashedNames(spy)).toEqual(['tokenizer.json']);
  });

  it('keeps the cache in a user cache folder when given one', async () => {
    const fixture = await pack();
    const cacheDir = await mkdtemp(join(tmpdir(), 'lacuna-cache-'));
    dirs.push(cacheDir);
    await loadPack(fixture.dir, { cacheDir });
    await expect(stat(join(fixture.dir, '.lacuna-verified.json'))).rejects.toThrow();
    const file = verifiedCachePath(fixture.dir, cacheDir);
    expect(file.startsWith(cacheDir)).toBe(true);
    expect((await stat(file)).isFile()).toBe(true);
    const spy = spyHash();
    await loadPack(fixture.dir, { cacheDir, hashFile: spy });
    expect(spy).not.toHaveBeenCalled();
  });

  it('treats a malformed cache file as empty and an unwritable location as "not saved"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-cachefile-'));
    dirs.push(dir);
    const id = { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1, dev: 1 };
    await writeFile(join(dir, 'c.json'), '{ not json');
    const cache = await VerifiedCache.open(join(dir, 'c.json'), '/packs/a');
    expect(cache.has('x', id, 'a')).toBe(false);
    cache.remember('x', id, 'a');
    expect(await cache.save()).toBe(true);
    expect((await VerifiedCache.open(join(dir, 'c.json'), '/packs/a')).has('x', id, 'a')).toBe(true);
    // A cache written for another folder vouches for nothing here.
    expect((await VerifiedCache.open(join(dir, 'c.json'), '/packs/b')).has('x', id, 'a')).toBe(false);
    // Any part of the identity differing: not the file that was verified.
    for (const k of ['size', 'mtimeMs', 'ctimeMs', 'ino', 'dev'] as const) expect(cache.has('x', { ...id, [k]: 2 }, 'a')).toBe(false);

    await writeFile(join(dir, 'file'), '');
    const unwritable = await VerifiedCache.open(join(dir, 'file', 'c.json'), '/packs/a');
    unwritable.remember('x', id, 'a');
    expect(await unwritable.save()).toBe(false);
  });

  it('catches a flipped byte whose mtime was put back, and ignores a cache the pack brings along', async () => {
    const fixture = await pack();
    await loadPack(fixture.dir);
    const path = join(fixture.dir, 'unet.onnx');
    const before = await stat(path);
    execFileSync('cp', ['-p', path, `${path}.ref`]);
    const bytes = await readFile(path);
    bytes[bytes.length - 9] ^= 0x01;
    await writeFile(path, bytes);
    execFileSync('touch', ['-r', `${path}.ref`, path]); // size and mtime exactly as verified
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    // The pack also carries a cache of the old kind claiming every file is fine.
    await writeFile(join(fixture.dir, '.lacuna-verified.json'), JSON.stringify({ version: 1, files: { 'unet.onnx': { size: before.size, mtimeMs: before.mtimeMs, sha256: 'x' } } }));
    const spy = spyHash();
    await expect(loadPack(fixture.dir, { hashFile: spy })).rejects.toThrow(/unet\.onnx has SHA-256/);
    expect(hashedNames(spy)).toEqual(['unet.onnx']);
  });

  it('catches a file replaced by a copy with the same size and mtime (another inode)', async () => {
    const fixture = await pack();
    await loadPack(fixture.dir);
    const path = join(fixture.dir, 'vae_decoder.onnx');
    const before = await stat(path);
    const bytes = await readFile(path);
    bytes[bytes.length - 3] ^= 0x01;
    execFileSync('cp', ['-p', path, `${path}.ref`]);
    await writeFile(`${path}.new`, bytes);
    execFileSync('touch', ['-r', `${path}.ref`, `${path}.new`]);
    await rename(`${path}.new`, path);
    expect((await stat(path)).mtimeMs).toBe(before.mtimeMs);
    const spy = spyHash();
    await expect(loadPack(fixture.dir, { hashFile: spy })).rejects.toThrow(/vae_decoder\.onnx has SHA-256/);
  });

  it('reports hashing progress and checks each file once per verifier', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-progress-'));
    dirs.push(dir);
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 1);
    await writeFile(join(dir, 'big.bin'), data);
    const sha = (await sha256File(join(dir, 'big.bin'))) as string;
    const progress: number[] = [];
    const spy = spyHash();
    const verifier = new PackFileVerifier(dir, { hashFile: spy, onProgress: (p) => progress.push(p.bytesDone) });
    const ref = { path: 'big.bin', size: data.length, sha256: sha };
    const [a, b] = await Promise.all([verifier.check(ref, 'files.x'), verifier.check(ref, 'files.x')]);
    expect(a).toEqual({ path: 'big.bin', field: 'files.x', status: 'ok', checksum: 'hashed' });
    expect(b).toBe(a);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(progress.at(-1)).toBe(data.length);
    expect(progress.length).toBeGreaterThanOrEqual(4);
  });

  it('stops hashing when cancelled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-cancel-'));
    dirs.push(dir);
    await writeFile(join(dir, 'f.bin'), Buffer.alloc(4 * 1024 * 1024));
    const controller = new AbortController();
    const hashing = sha256File(join(dir, 'f.bin'), { signal: controller.signal, onBytes: () => controller.abort() });
    await expect(hashing).rejects.toSatisfy((e) => isLacunaError(e, 'CANCELLED'));
  });
});

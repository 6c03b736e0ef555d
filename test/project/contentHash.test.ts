import { createHash } from 'node:crypto';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUICK_HASH_SAMPLE_BYTES, quickHashFile, quickHashImageSequence } from '../../src/engine/project';
import { quickHashRanges } from '../../src/engine/project/contentHash';
import { isLacunaError } from '../../src/engine/util/errors';
import { withTempDir } from './fixtures';

const MiB = 1024 * 1024;

function pseudoRandom(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(String(seed)).digest();
  for (let i = 0; i < size; i += 32) {
    block.copy(out, i);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

async function patchByte(path: string, position: number) {
  const fh = await open(path, 'r+');
  const b = Buffer.alloc(1);
  await fh.read(b, 0, 1, position);
  b[0] ^= 0xff;
  await fh.write(b, 0, 1, position);
  await fh.close();
}

describe('quick content hash of a file', () => {
  it('is SHA-256 of header, size and the whole file for small files (the documented definition)', async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, 'small.bin');
      const data = pseudoRandom(2 * MiB + 17, 1);
      await writeFile(path, data);
      const expected = createHash('sha256').update(`lacuna-quick-sha256\0file\0${data.length}\0`).update(data).digest('hex');
      expect(await quickHashFile(path)).toEqual({ algorithm: 'lacuna-quick-sha256', value: expected, size: data.length });
    });
  });

  it('reads first, middle and last MiB of large files, and only those', async () => {
    await withTempDir(async (dir) => {
      const size = 7 * MiB + 5;
      const path = join(dir, 'large.bin');
      const data = pseudoRandom(size, 2);
      await writeFile(path, data);
      const ranges = quickHashRanges(size);
      expect(ranges).toEqual([
        [0, MiB],
        [Math.floor((size - MiB) / 2), MiB],
        [size - MiB, MiB],
      ]);
      const h = createHash('sha256').update(`lacuna-quick-sha256\0file\0${size}\0`);
      for (const [p, n] of ranges) h.update(data.subarray(p, p + n));
      const base = await quickHashFile(path);
      expect(base.value).toBe(h.digest('hex'));

      // A change inside a sample changes the hash...
      for (const at of [10, Math.floor(size / 2), size - 10]) {
        await patchByte(path, at);
        expect((await quickHashFile(path)).value).not.toBe(base.value);
        await patchByte(path, at); // restore
      }
      expect((await quickHashFile(path)).value).toBe(base.value);
      // ...one between the samples does not: the documented trade-off for speed.
      await patchByte(path, 2 * MiB);
      expect((await quickHashFile(path)).value).toBe(base.value);
      // Renaming keeps the hash (content only); growing by a byte changes it.
      await rename(path, join(dir, 'renamed.bin'));
      expect((await quickHashFile(join(dir, 'renamed.bin'))).value).toBe(base.value);
      await writeFile(join(dir, 'renamed.bin'), Buffer.from([1]), { flag: 'a' });
      expect((await quickHashFile(join(dir, 'renamed.bin'))).size).toBe(size + 1);
      expect(QUICK_HASH_SAMPLE_BYTES).toBe(MiB);
    });
  });

  it('hashes an empty file and fails clearly for missing files and folders', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'empty'), '');
      expect((await quickHashFile(join(dir, 'empty'))).size).toBe(0);
      const missing = await quickHashFile(join(dir, 'nope.mov')).catch((e: unknown) => e);
      expect(isLacunaError(missing, 'MEDIA_NOT_FOUND')).toBe(true);
      const folder = await quickHashFile(dir).catch((e: unknown) => e);
      expect(isLacunaError(folder, 'MEDIA_UNREADABLE')).toBe(true);
      const aborted = await quickHashFile(join(dir, 'empty'), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
      expect(isLacunaError(aborted, 'CANCELLED')).toBe(true);
    });
  });
});

describe('quick content hash of an image sequence', () => {
  async function makeSequence(dir: string, numbers: number[]) {
    await mkdir(dir, { recursive: true });
    for (const n of numbers) await writeFile(join(dir, `plate.${String(n).padStart(4, '0')}.exr`), pseudoRandom(1000 + n, n));
    return join(dir, 'plate.%04d.exr');
  }

  it('covers names, sizes, and first and last frame content; not the folder', async () => {
    await withTempDir(async (dir) => {
      const numbers = [1, 2, 3, 4, 5];
      const a = await makeSequence(join(dir, 'a'), numbers);
      const b = await makeSequence(join(dir, 'b'), numbers);
      const ha = await quickHashImageSequence(a, numbers);
      expect(ha.size).toBe(numbers.reduce((s, n) => s + 1000 + n, 0));
      expect(await quickHashImageSequence(b, numbers)).toEqual(ha); // same frames elsewhere
      expect((await quickHashImageSequence(a, [1, 2, 3, 4])).value).not.toBe(ha.value); // a frame fewer
      await writeFile(join(dir, 'b', 'plate.0003.exr'), pseudoRandom(999, 9)); // a re-rendered middle frame of another size
      expect((await quickHashImageSequence(b, numbers)).value).not.toBe(ha.value);
      await makeSequence(join(dir, 'b'), numbers);
      await patchByte(join(dir, 'b', 'plate.0005.exr'), 3); // last frame content
      expect((await quickHashImageSequence(b, numbers)).value).not.toBe(ha.value);
    });
  });

  it('names the missing frame', async () => {
    await withTempDir(async (dir) => {
      const p = await makeSequence(dir, [1, 2, 4]);
      await expect(quickHashImageSequence(p, [1, 2, 3, 4])).rejects.toThrow(/image sequence frame not found: .*plate\.0003\.exr/);
    });
  });
});

import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaRef } from '../project/schema';
import { writeFileAtomic } from '../util/atomicWrite';

/**
 * Pictures and levels the timeline draws, made once and kept on disk under the app's data folder.
 * The key is the media's content hash (not its path), so a relinked or renamed file keeps its
 * previews and an overwritten one gets new ones, plus what was asked (frames, size).
 * Files are written atomically: a preview cut short by a quit is never read back as whole.
 */
export class PreviewCache {
  constructor(readonly dir: string) {}

  key(media: MediaRef, what: string): string {
    return createHash('sha256').update(`${media.hash.algorithm}:${media.hash.value}:${media.hash.size}|${what}`).digest('hex').slice(0, 40);
  }

  /** The cached bytes for `key`, or makes them with `make` and stores them. */
  async get(key: string, ext: string, make: () => Promise<Buffer>): Promise<Buffer> {
    const path = join(this.dir, key.slice(0, 2), `${key}.${ext}`);
    try {
      return await readFile(path);
    } catch {
      const data = await make();
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, data);
      return data;
    }
  }
}

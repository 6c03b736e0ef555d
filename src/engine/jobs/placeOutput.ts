import { link, rename, unlink } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { exists, fsyncDir } from '../util/atomicWrite';

/** Past this many "name (n)" tries something else is wrong (a full or hostile folder). */
const MAX_TRIES = 1000;

/**
 * Characters that are not allowed, or are trouble, in file names on Windows, macOS or Linux,
 * and control characters. Clip and project names come from users and cameras.
 */
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f]/g;

/** A clip or project name made safe to use as (part of) a file name on every platform. */
export function safeFileNamePart(name: string): string {
  const cleaned = name.replace(UNSAFE, '_').replace(/\s+/g, ' ').trim().replace(/[. ]+$/, '');
  // Windows reserves device names whatever the extension ("CON.mov" cannot be created).
  const reserved = /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned);
  const safe = reserved ? `_${cleaned}` : cleaned;
  return safe.slice(0, 120) || 'untitled';
}

/**
 * Moves a finished file from the job's scratch folder to `<dir>/<name><ext>` (the extension
 * of `file`), or to "<name> (2)<ext>", "<name> (3)<ext>"… if that exists: a render never
 * replaces anything. The move is a hard link then an unlink, because link() fails when the
 * name is taken, which makes "take this name only if it is free" one atomic step. Folders
 * that cannot hold hard links (FAT, some network shares) fall back to check-then-rename.
 * Returns the final path.
 */
export async function placeOutput(file: string, dir: string, name: string): Promise<string> {
  const ext = extname(file);
  for (let n = 1; n <= MAX_TRIES; n++) {
    const candidate = join(dir, n === 1 ? `${name}${ext}` : `${name} (${n})${ext}`);
    try {
      await link(file, candidate);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw e;
      if (await exists(candidate)) continue;
      await rename(file, candidate);
      await fsyncDir(dir);
      return candidate;
    }
    await unlink(file);
    await fsyncDir(dir);
    return candidate;
  }
  throw new Error(`more than ${MAX_TRIES} files named "${name}" in ${dir}`);
}

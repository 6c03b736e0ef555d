import { open, rename, rm, stat, copyFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFailure } from './errors';
import { isPartialPath, sweepPartials, tempPathFor } from './partialFiles';

export { tempPathFor } from './partialFiles';

async function fsyncPath(path: string, flags: 'r' | 'r+' = 'r'): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a directory so a rename inside it survives power loss (no-op where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncPath(dir);
  } catch {
    // Windows cannot open directories for sync; NTFS journals the rename itself.
  }
}

/**
 * Moves a finished temp file into place: fsync data, rename over the target, fsync the folder.
 * A crash at any point leaves either the old file or the new one, never a torn one.
 */
export async function commitTempFile(tempPath: string, finalPath: string): Promise<void> {
  await fsyncPath(tempPath, 'r+');
  await rename(tempPath, finalPath);
  await fsyncDir(dirname(finalPath));
}

/**
 * Writes `data` to `path` atomically (temp file + fsync + rename). A full disk or an unwritable
 * folder is reported as such (DISK_FULL, CANNOT_WRITE), and the file at `path` is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await sweepPartials(dirname(path));
  const tmp = tempPathFor(path);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close().catch(() => {});
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw writeFailure(e, path);
  }
  await fsyncDir(dirname(path));
}

/**
 * Runs `produce(tempPath)` and commits its file to `finalPath` only if it resolves; on failure
 * or cancellation the temp file is removed, so no half-written output ever looks complete.
 * A `finalPath` that is itself a partial name (a caller staging several outputs to commit
 * together) is produced in place: its owner commits or removes it, and no second temp name is
 * stacked on the first. Orphaned partial files in the folder (a killed earlier run) are swept.
 */
export async function produceAtomically<T>(finalPath: string, produce: (tempPath: string) => Promise<T>): Promise<T> {
  const inPlace = isPartialPath(finalPath);
  if (!inPlace) await sweepPartials(dirname(finalPath));
  const tmp = inPlace ? finalPath : tempPathFor(finalPath);
  try {
    const result = await produce(tmp);
    if (!inPlace) await commitTempFile(tmp, finalPath);
    return result;
  } catch (e) {
    await rm(tmp, { force: true, recursive: true });
    throw writeFailure(e, finalPath);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Copies `src` to `dst` atomically (used to keep a project's previous version as a backup). */
export async function copyFileAtomic(src: string, dst: string): Promise<void> {
  const tmp = tempPathFor(dst);
  try {
    await copyFile(src, tmp);
    await commitTempFile(tmp, dst);
  } catch (e) {
    await rm(tmp, { force: true });
    throw writeFailure(e, dst);
  }
}

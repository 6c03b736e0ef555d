import { open, rename, rm, stat, copyFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A temp path beside `finalPath` (same directory, hence same filesystem, so the final rename is
 * atomic). The name keeps the extension last so tools that sniff it (ffmpeg's muxer choice)
 * still work, and starts with a dot and carries ".partial" so nobody mistakes it for a result.
 */
export function tempPathFor(finalPath: string): string {
  const name = basename(finalPath);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  return join(dirname(finalPath), `.${stem}.${randomBytes(4).toString('hex')}.partial${ext}`);
}

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

/** Writes `data` to `path` atomically (temp file + fsync + rename). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempPathFor(path);
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirname(path));
}

/**
 * Runs `produce(tempPath)` and commits its file to `finalPath` only if it resolves; on failure
 * or cancellation the temp file is removed, so no half-written output ever looks complete.
 */
export async function produceAtomically<T>(finalPath: string, produce: (tempPath: string) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(finalPath);
  try {
    const result = await produce(tmp);
    await commitTempFile(tmp, finalPath);
    return result;
  } catch (e) {
    await rm(tmp, { force: true, recursive: true });
    throw e;
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
    throw e;
  }
}

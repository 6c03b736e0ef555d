import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * How media paths are written into a project file. Relative to the project file's folder
 * whenever possible, so a project folder moved or copied together with its media (to another
 * drive, another machine, an archive) still finds it; with `/` separators, so the file reads
 * the same on macOS, Windows and Linux. The absolute path goes beside it, so a project file
 * moved on its own still finds media that did not move.
 */

export interface StoredPath {
  path: string;
  absolutePath?: string;
}

/** `abs` as written into a project file living in `projectDir`. */
export function toStoredPath(abs: string, projectDir: string): StoredPath {
  const rel = relative(projectDir, abs);
  // Another drive (Windows) or UNC share: no relative path exists; relative() returns it whole.
  if (!rel || isAbsolute(rel)) return { path: abs };
  return { path: rel.split(sep).join('/'), absolutePath: abs };
}

/**
 * Where a stored path may point, best first: the relative path resolved against the project's
 * folder (media that travelled with the project wins over the original location, which may
 * still hold the older copy), then the absolute path it had when saved.
 */
export function storedPathCandidates(stored: StoredPath, projectDir: string): string[] {
  if (isAbsolute(stored.path)) return [stored.path];
  const fromProject = resolve(projectDir, ...stored.path.split('/'));
  return stored.absolutePath && stored.absolutePath !== fromProject ? [fromProject, stored.absolutePath] : [fromProject];
}

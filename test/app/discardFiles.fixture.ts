import { mkdtempSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temp folder on the home folder's device: there the freedesktop.org trash is the one under
 * XDG_DATA_HOME (a file on another mount goes to that mount's own `.Trash-<uid>`).
 */
export function tempBesideHome(prefix: string): string {
  const root = statSync(tmpdir()).dev === statSync(homedir()).dev ? tmpdir() : homedir();
  return mkdtempSync(join(root, prefix));
}

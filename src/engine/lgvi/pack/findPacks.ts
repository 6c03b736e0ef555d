import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from './manifest';

/**
 * The model packs installed in `roots` (the app's bundled models folder, the user's models
 * folder): each folder there with a manifest.json, the root itself included. A root that does not
 * exist is simply empty. Packs are only listed here; the engine checks one when it is first used,
 * so a broken pack is reported on use (and by `lacuna models verify`), not at startup.
 */
export async function findModelPacks(roots: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const root of roots) {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    if (entries.some((e) => e.isFile() && e.name === MANIFEST_FILE)) found.push(root);
    for (const e of entries.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = join(root, e.name);
      const inner = await readdir(dir).catch(() => [] as string[]);
      if (inner.includes(MANIFEST_FILE)) found.push(dir);
    }
  }
  return found;
}

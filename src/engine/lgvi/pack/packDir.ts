// Finding a pack on disk. A folder that does not exist, or has no manifest.json, is "not found"
// (the user pointed at the wrong place); everything past that is "invalid" (the pack is broken).
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LacunaError } from '../../util/errors';
import { MANIFEST_FILE } from './manifest';

export interface PackLocation {
  /** Absolute path of the pack folder. */
  readonly dir: string;
  readonly manifestText: string;
}

export async function readPackDir(dir: string): Promise<PackLocation> {
  const abs = resolve(dir);
  const info = await stat(abs).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new LacunaError('MODEL_PACK_NOT_FOUND', `model pack folder ${abs} does not exist`, 'Give the folder that holds manifest.json.');
  }
  let manifestText: string;
  try {
    manifestText = await readFile(join(abs, MANIFEST_FILE), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new LacunaError(
        'MODEL_PACK_NOT_FOUND',
        `${abs} is not a model pack: it has no ${MANIFEST_FILE}`,
        'Give the folder that holds manifest.json (models/README.md describes a pack).',
      );
    }
    throw new LacunaError('MODEL_PACK_INVALID', `cannot read ${join(abs, MANIFEST_FILE)}: ${(e as Error).message}`);
  }
  return { dir: abs, manifestText };
}

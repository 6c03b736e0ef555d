import { open, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { EngineHandlers } from '../../api/contract';
import { backupPathFor, PROJECT_FORMAT } from '../project';
import { LacunaError } from '../util/errors';

export const PROJECT_FILE_EXTENSION = '.lacuna';

/**
 * Which files the app's hosts (the Electron IPC handlers and the HTTP bridge alike) let the UI
 * open and save as projects. The UI is the less trusted side: a page that went wrong, or a
 * request that got past the bridge's token, must not turn Open into "read any file" or Save As
 * into "overwrite any file". So:
 *
 * - Open takes only `.lacuna` files, and one that is not a Lacuna project is refused with a
 *   message that quotes none of its content (the project loader's detailed messages, with the
 *   offending line, are kept for files that are projects, damaged or not).
 * - Save As writes only `.lacuna` files (a name without the extension gets it) and never replaces
 *   a file that is not a Lacuna project, nor one beside it where the backup would go. Replacing
 *   a project keeps the previous one as `.bak` (saveProject).
 *
 * The CLI does not go through here: its user types the paths and owns the consequences.
 */
export function withProjectPathRules(handlers: EngineHandlers): EngineHandlers {
  return {
    ...handlers,
    'project.open': async (input) => handlers['project.open']({ ...input, path: await checkedOpenPath(input.path) }),
    'project.saveAs': async (input) => handlers['project.saveAs']({ ...input, path: await checkedSavePath(input.path) }),
  };
}

const hasProjectExtension = (path: string) => path.toLowerCase().endsWith(PROJECT_FILE_EXTENSION);

/** The path to open, or a refusal that names the file and says nothing of what is in it. */
export async function checkedOpenPath(path: string): Promise<string> {
  const abs = resolve(path);
  if (!hasProjectExtension(abs)) {
    throw new LacunaError(
      'PROJECT_INVALID',
      `${basename(abs)} is not a Lacuna project file (they end in ${PROJECT_FILE_EXTENSION})`,
      'Choose a .lacuna file; to bring in footage, use Import instead.',
    );
  }
  const kind = await projectFileKind(abs);
  if (kind === 'missing') return abs; // the loader says "not found" with the path
  if (kind !== 'project') {
    throw new LacunaError('PROJECT_INVALID', `${basename(abs)} is not a Lacuna project`, 'Choose a project saved by Lacuna.');
  }
  return abs;
}

/** The path to save to (the extension added when missing), or a refusal when it would replace a file that is not a project. */
export async function checkedSavePath(path: string): Promise<string> {
  let abs = resolve(path);
  if (!hasProjectExtension(abs)) abs += PROJECT_FILE_EXTENSION;
  for (const target of [abs, backupPathFor(abs)]) {
    const kind = await projectFileKind(target);
    if (kind === 'missing' || kind === 'project') continue;
    throw new LacunaError(
      'OUTPUT_EXISTS',
      `${basename(target)} already exists and is not a Lacuna project, so it was not replaced`,
      'Choose another name or folder.',
    );
  }
  return abs;
}

/** Bytes read to recognise a project by its start: the format key is the first a save writes. */
const HEAD_BYTES = 4096;
/** Larger than any real project (a project of thousands of clips is a few MB). */
const MAX_PROJECT_BYTES = 256 * 1024 * 1024;
const HEAD = /^\uFEFF?\s*\{\s*"format"\s*:\s*"([^"\\]*)"/;

/**
 * What is at `path`: nothing, a Lacuna project (recognised by its first key, as saved, or, for a
 * hand-edited file whose keys moved, by parsing it), or something else. Damaged projects whose
 * start is intact count as projects, so the loader can say where they are damaged.
 */
async function projectFileKind(path: string): Promise<'missing' | 'project' | 'other'> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return 'other';
    size = s.size;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'other';
  }
  if (size > MAX_PROJECT_BYTES) return 'other';
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return 'other';
  }
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    if (HEAD.exec(head.toString('utf8'))?.[1] === PROJECT_FORMAT) return 'project';
    if (size <= HEAD_BYTES && !head.includes('"format"')) return 'other';
    // Positioned reads leave the file position at 0, so this reads the whole file.
    const text = await handle.readFile({ encoding: 'utf8' });
    const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as { format?: unknown };
    return raw !== null && typeof raw === 'object' && raw.format === PROJECT_FORMAT ? 'project' : 'other';
  } catch {
    return 'other';
  } finally {
    await handle.close();
  }
}

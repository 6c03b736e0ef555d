import { createHash, randomBytes } from 'node:crypto';
import { copyFile, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { commitTempFile } from '../util/atomicWrite';
import { LacunaError, isLacunaError } from '../util/errors';
import { formatJson } from './jsonFormat';
import { findJsonSyntaxError } from './jsonSyntax';
import { migrateToCurrent } from './migrations';
import { storedPathCandidates, toStoredPath } from './paths';
import { Project } from './project';
import { isMediaOnline, type MissingMedia } from './relink';
import { PROJECT_FORMAT, type MediaRef, type ProjectDoc } from './schema';
import { parseProjectDoc } from './validate';
import { lockPathFor, withProjectLock, type ProjectLockOptions } from './projectLock';

/**
 * Saving and opening project files.
 *
 * A save never leaves a torn file: the new text goes to a temp file beside the project, is
 * fsynced, and renamed over it (util/atomicWrite.ts commitTempFile), so a crash, a kill or a
 * power cut leaves either the old project or the new one. Before that, the previous file is copied (atomically
 * too) to `<name>.bak`, one save behind: the way back from a save the user regrets, and from a
 * file damaged by something else (a sync tool, a full disk, a hand edit).
 *
 * Opening reports precisely what is wrong with a bad file (line and column for broken JSON, a
 * JSON path for each invalid value), upgrades older formats, and never fails for missing media:
 * that is listed in the result for the app to show offline and offer relinking.
 */

export const BACKUP_SUFFIX = '.bak';

/** Temp files older than this are leftovers of a crashed save, not a save in progress. */
const STALE_TEMP_MS = 10 * 60 * 1000;

export function backupPathFor(projectPath: string): string {
  return `${resolve(projectPath)}${BACKUP_SUFFIX}`;
}

export interface SaveOptions {
  /** Keep the previous file as `<name>.bak`. Default true. */
  backup?: boolean;
  /**
   * Save even if the file changed on disk since this project was loaded from it (or last saved
   * to it), replacing that change. Default false: such a save throws PROJECT_CHANGED.
   */
  replaceChangesOnDisk?: boolean;
  /** How to wait for another writer's lock (projectLock.ts). */
  lock?: ProjectLockOptions;
}

/**
 * What each project's file held when this process last read or wrote it (a hash of its text),
 * so a save can tell that another writer changed the file in between and refuse to undo that
 * change in silence. Kept here rather than on Project: it is a fact about a file, not the model.
 */
const diskStamps = new WeakMap<Project, { path: string; hash: string }>();

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function fileHash(path: string): Promise<string | null> {
  try {
    return textHash(await readFile(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Throws PROJECT_CHANGED when `abs` no longer holds what `project` was loaded from or saved as. */
async function ensureUnchangedOnDisk(project: Project, abs: string): Promise<void> {
  const stamp = diskStamps.get(project);
  if (!stamp || stamp.path !== abs) return;
  const now = await fileHash(abs);
  if (now === null || now === stamp.hash) return; // deleted meanwhile: saving recreates it
  // Damage (a torn copy, a hand edit that broke it) is not a change to keep: saving repairs it,
  // and the backup keeps the last intact version.
  if (!(await isIntactProjectFile(abs))) return;
  throw new LacunaError(
    'PROJECT_CHANGED',
    `${basename(abs)} was changed by another program since it was opened; saving now would undo that change`,
    'Reopen the project to see the other change (your unsaved edits would be lost), or use Save As to keep both.',
  );
}

export interface LoadOptions {
  /** Open `<name>.bak` instead (after the main file turned out damaged). The project keeps the main path: saving repairs it. */
  fromBackup?: boolean;
  historyLimit?: number;
}

export interface LoadResult {
  project: Project;
  /** Media not found at its stored path (nor at its last absolute path): show offline, offer relink. */
  missingMedia: MissingMedia[];
  /** The format version the file had, when it was upgraded on load (saving writes the current one). */
  migratedFrom: number | null;
  fromBackup: boolean;
}

/** The file text for `doc` saved at `projectPath`: media paths made relative where possible. */
export function serializeProject(doc: ProjectDoc, projectPath: string): string {
  const dir = dirname(resolve(projectPath));
  const media = doc.media.map((m) => {
    // Rebuild key by key so `absolutePath` sits right after `path` for whoever reads the file.
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m)) {
      if (k === 'absolutePath') continue;
      if (k === 'path') Object.assign(out, toStoredPath(m.path, dir));
      else out[k] = v;
    }
    return out;
  });
  return formatJson({ ...doc, media });
}

// One save at a time per file: two overlapping saves could otherwise back up a half-finished
// state of each other's sequence of steps.
const saving = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, work: () => Promise<T>): Promise<T> {
  const prior = saving.get(key) ?? Promise.resolve();
  const run = prior.then(work, work);
  const tail = run.catch(() => {});
  saving.set(key, tail);
  void tail.then(() => {
    if (saving.get(key) === tail) saving.delete(key);
  });
  return run;
}

/** Whether `path` holds something worth keeping as the backup: a parseable Lacuna project. */
async function isIntactProjectFile(path: string): Promise<boolean> {
  try {
    const raw = JSON.parse(stripBom(await readFile(path, 'utf8'))) as { format?: unknown };
    return raw !== null && typeof raw === 'object' && raw.format === PROJECT_FORMAT;
  } catch {
    return false;
  }
}

/**
 * The temp file a save writes before renaming it over `finalPath`: hidden, in the same folder
 * (so the rename is atomic), and ending in `.partial` rather than the project's extension, so
 * one left behind by a killed save never shows up in an Open dialog as a project.
 */
export function saveTempPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(4).toString('hex')}.partial`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function tempFilePattern(finalPath: string): RegExp {
  const esc = escapeRegExp(basename(finalPath));
  return new RegExp(`^\\.${esc}\\.[0-9a-f]{8}\\.partial$`);
}

/** Writes `fill(tempPath)`'s file and moves it over `finalPath` atomically; cleans up on failure. */
async function replaceAtomically(finalPath: string, fill: (tempPath: string) => Promise<void>): Promise<void> {
  const tmp = saveTempPathFor(finalPath);
  try {
    await fill(tmp);
    await commitTempFile(tmp, finalPath);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function writeNewFile(path: string, text: string): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    await fh.writeFile(text);
  } finally {
    await fh.close();
  }
}

/** Removes temp files left by saves that were killed mid-write (best effort). */
export async function removeStaleTempFiles(projectPath: string, olderThanMs = STALE_TEMP_MS): Promise<string[]> {
  const abs = resolve(projectPath);
  const dir = dirname(abs);
  const lockEsc = escapeRegExp(basename(lockPathFor(abs)));
  // …and the lock's own temp files, from a writer killed while taking the lock.
  const patterns = [tempFilePattern(abs), tempFilePattern(backupPathFor(abs)), new RegExp(`^${lockEsc}\\.[0-9a-f]{8}\\.(partial|stale)$`)];
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!patterns.some((p) => p.test(name))) continue;
    const path = join(dir, name);
    try {
      if (Date.now() - (await stat(path)).mtimeMs < olderThanMs) continue; // maybe a save in progress
      await rm(path, { force: true });
      removed.push(path);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}

/**
 * Saves `project` to `path` atomically, keeping the previous file as `<path>.bak`, and marks
 * the project saved (at the revision written: edits made meanwhile stay dirty).
 */
export async function saveProject(project: Project, path: string, options: SaveOptions = {}): Promise<void> {
  const abs = resolve(path);
  const { doc, revision } = project.snapshot();
  const modified = new Date().toISOString();
  const text = serializeProject({ ...doc, modified }, abs);
  await withProjectLock(abs, () => serialised(abs, async () => {
    if (!options.replaceChangesOnDisk) await ensureUnchangedOnDisk(project, abs);
    // Only an intact project becomes the backup: after a damaged file, the old backup is the
    // last good copy and must not be replaced by the damage.
    if (options.backup !== false && (await isIntactProjectFile(abs))) {
      await replaceAtomically(backupPathFor(abs), (tmp) => copyFile(abs, tmp));
    }
    try {
      await replaceAtomically(abs, (tmp) => writeNewFile(tmp, text));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // disk full, no permission: the OS says it best
      throw new LacunaError('NOT_FOUND', `cannot save ${abs}: the folder ${dirname(abs)} does not exist`, undefined, { cause: e });
    }
    diskStamps.set(project, { path: abs, hash: textHash(text) });
    await removeStaleTempFiles(abs);
  }), options.lock);
  project.markSaved({ path: abs, revision, modified });
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads, parses, upgrades and validates a project file; media paths still as stored. */
async function readProjectDoc(file: string): Promise<{ doc: ProjectDoc; from: number; hash: string }> {
  const name = basename(file);
  let text: string;
  let hash: string;
  try {
    const bytes = await readFile(file, 'utf8');
    hash = textHash(bytes);
    text = stripBom(bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LacunaError('PROJECT_NOT_FOUND', `project file not found: ${file}`, undefined, { cause: e });
    throw new LacunaError('PROJECT_INVALID', `cannot read ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  if (!text.trim()) throw new LacunaError('PROJECT_INVALID', `${name} is empty (0 bytes of project data)`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const at = findJsonSyntaxError(text);
    const where = at ? `line ${at.line}, column ${at.column}: ${at.message}\n${at.excerpt}` : (e as Error).message;
    throw new LacunaError('PROJECT_INVALID', `${name} is not valid JSON: ${where}`, undefined, { cause: e });
  }
  const { doc, from } = migrateToCurrent(raw, name);
  return { doc: parseProjectDoc(doc, name), from, hash };
}

/** Resolves stored media paths against the project's folder; returns the missing ones too. */
async function resolveMediaPaths(doc: ProjectDoc, projectPath: string): Promise<{ doc: ProjectDoc; missing: MissingMedia[] }> {
  const dir = dirname(projectPath);
  const missing: MissingMedia[] = [];
  const media = await Promise.all(
    doc.media.map(async (m): Promise<MediaRef> => {
      const { absolutePath: _, ...rest } = m;
      const candidates = storedPathCandidates(m, dir);
      for (const path of candidates) {
        const at = { ...rest, path } as MediaRef;
        if (await isMediaOnline(at)) return at;
      }
      const at = { ...rest, path: candidates[0] } as MediaRef;
      missing.push({ mediaId: m.id, name: m.name, kind: m.kind, path: candidates[0] });
      return at;
    }),
  );
  // Report in pool order, not in the order the checks finished.
  const order = new Map(doc.media.map((m, i) => [m.id, i]));
  missing.sort((a, b) => order.get(a.mediaId)! - order.get(b.mediaId)!);
  return { doc: { ...doc, media }, missing };
}

/**
 * Opens a project file. Throws PROJECT_NOT_FOUND, PROJECT_INVALID (saying exactly what and
 * where; and, when the main file is damaged but its backup is intact, saying so in the hint)
 * or PROJECT_TOO_NEW. Missing media does not fail the load: see `missingMedia`.
 */
export async function loadProject(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const abs = resolve(path);
  const file = options.fromBackup ? backupPathFor(abs) : abs;
  let read: { doc: ProjectDoc; from: number; hash: string };
  try {
    read = await readProjectDoc(file);
  } catch (e) {
    throw options.fromBackup ? e : await withBackupHint(e, abs);
  }
  const { doc, missing } = await resolveMediaPaths(read.doc, abs);
  const project = Project.fromDocument(doc, { path: abs, source: basename(file), historyLimit: options.historyLimit });
  // From the backup, the main file is the damaged one that saving is meant to replace.
  if (!options.fromBackup) diskStamps.set(project, { path: abs, hash: read.hash });
  // Opened from the backup or upgraded: the file on disk is not what is in memory yet.
  if (options.fromBackup || read.from !== doc.version) project.markUnsaved();
  return {
    project,
    missingMedia: missing,
    migratedFrom: read.from !== doc.version ? read.from : null,
    fromBackup: !!options.fromBackup,
  };
}

/** Adds "the backup is intact" to a load error, when it is. */
async function withBackupHint(e: unknown, abs: string): Promise<unknown> {
  if (!isLacunaError(e) || (e.code !== 'PROJECT_INVALID' && e.code !== 'PROJECT_NOT_FOUND')) return e;
  const bak = backupPathFor(abs);
  let saved: string;
  try {
    saved = (await readProjectDoc(bak)).doc.modified;
  } catch {
    return e;
  }
  const hint =
    `Its backup ${basename(bak)} (saved ${saved}) is intact: open that instead ` +
    `(loadProject(path, { fromBackup: true })); saving then replaces the damaged file.`;
  return new LacunaError(e.code, e.message, e.hint ? `${hint}\n  ${e.hint}` : hint, { cause: e.cause ?? e });
}

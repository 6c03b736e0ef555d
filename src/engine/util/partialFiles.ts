import { createHash, randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Names for files (and staging folders) that are being written and are not results yet, and the
 * sweep that removes the ones a killed process left behind.
 *
 * A partial name starts with a dot, carries ".partial", and says who writes it: a short hash of
 * the host and the writer's process id. So a later run can tell an orphan (the writer on this
 * host is gone) from a file still being written (by a live process, or by another machine on a
 * shared volume), and sweep only orphans. Anything partial untouched for a day is swept whoever
 * wrote it: no render goes a day without writing, and pids are reused.
 */

/** Writers on other hosts, or whose pid was reused, are judged by the file's age alone. */
const STALE_MS = 24 * 60 * 60 * 1000;
/** Names from before the owner was recorded: swept once an hour old. */
const LEGACY_STALE_MS = 60 * 60 * 1000;

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 4);

/** `.<stem>.<host>-<pid>-<random>.partial<ext>` (the owner tag is the part this module reads back). */
const OWNED = /\.([0-9a-f]{4})-(\d+)-[0-9a-f]{8}\.partial(\.[^.]*)?$/;
/** Earlier versions: `.<stem>.<random>.partial<ext>`. */
const LEGACY = /^\..*\.[0-9a-f]{8}\.partial(\.[^.]*)?$/;

function ownerTag(): string {
  return `${HOST}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/**
 * A partial path beside `finalPath` (same folder, hence same filesystem, so the final rename is
 * atomic). The extension stays last so tools that pick a format from it (ffmpeg's muxer) still do.
 */
export function tempPathFor(finalPath: string): string {
  const name = basename(finalPath);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  return join(dirname(finalPath), `.${stem}.${ownerTag()}.partial${ext}`);
}

/** A partial name for a staging folder called after `label` (an image-sequence pattern, say). */
export function partialFolderName(label: string): string {
  return `.${label}.${ownerTag()}.partial`;
}

/** Whether `path` is already a partial name (its writer commits or removes it). */
export function isPartialPath(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') && (OWNED.test(name) || LEGACY.test(name));
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a partial entry was left by a writer that is gone (or is too old to be anyone's). */
export function isOrphan(name: string, mtimeMs: number, now = Date.now()): boolean {
  if (!name.startsWith('.')) return false;
  const age = now - mtimeMs;
  const owned = OWNED.exec(name);
  if (owned) {
    const [, host, pid] = owned;
    if (age > STALE_MS) return true;
    return host === HOST && !processAlive(Number(pid));
  }
  return LEGACY.test(name) && age > LEGACY_STALE_MS;
}

/** Folders swept lately, so writing many outputs into one folder lists it once a while. */
const sweptAt = new Map<string, number>();
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/**
 * Removes orphaned partial files and staging folders in `folder` (see isOrphan). Never fails the
 * caller: a folder that cannot be listed, or an entry that vanished meanwhile, is left alone.
 * Returns the names removed.
 */
export async function sweepPartials(folder: string, options: { force?: boolean } = {}): Promise<string[]> {
  const dir = resolve(folder);
  const now = Date.now();
  if (!options.force && now - (sweptAt.get(dir) ?? 0) < SWEEP_EVERY_MS) return [];
  sweptAt.set(dir, now);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.startsWith('.') && n.includes('.partial'));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    try {
      const st = await stat(join(dir, name));
      if (!isOrphan(name, st.mtimeMs, now)) continue;
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

/** The name a partial file will have once committed (`.clip.ab12-77-…partial.mov` → `clip.mov`), for messages. */
export function finalNameOf(path: string): string {
  const name = basename(path);
  if (!isPartialPath(path)) return name;
  return name.replace(/^\./, '').replace(/\.(?:[0-9a-f]{4}-\d+-)?[0-9a-f]{8}\.partial/, '');
}

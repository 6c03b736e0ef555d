import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { importMedia, type Probe } from '../app/mediaImport';
import { isSequencePattern, sequenceFromPattern } from '../media/imageSequenceSource';
import { quickHashFile, quickHashImageSequence, sameContentHash, type MediaRef, type Project } from '../project';
import type { IxMedia, IxNote } from './model';

/**
 * Finds the files an imported timeline names and brings them into the project's pool: at the
 * path written (after the path map), beside the interchange file, then by name under the search
 * folders; where the file carries Lacuna's content hash (OTIO), a candidate must match it, and a
 * renamed file is found by its hash among files of the same size (as `project relink` does). The
 * found files are probed and hashed like any import; the pool entry already holding a file is
 * reused.
 *
 * An image sequence is written as its printf pattern (`plates/sh010.%05d.exr`): it is found when
 * a folder holds frames matching the pattern (at the path written, beside the file, then any
 * folder under the search folders, the one named as the written one first), its hash taken over
 * those frames, and it is probed at the rate the timeline gives its media (images carry none).
 */

export interface ResolveOptions {
  /** Folders searched (recursively, bounded) for media not at its path. */
  search?: readonly string[];
  /** The interchange file's folder: media beside it is found by name. */
  fileDir: string;
  probe: Probe;
  /** Folder levels searched below each search folder. Default 6. */
  maxDepth?: number;
  /** Directory entries looked at before giving up. Default 100,000. */
  maxEntries?: number;
}

async function isFile(p: string): Promise<number | null> {
  try {
    const s = await stat(p);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/** Every file under `roots` (bounded), as path → size. */
async function walk(roots: readonly string[], maxDepth: number, maxEntries: number): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let seen = 0;
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > maxEntries) return;
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < maxDepth && !e.name.startsWith('.')) await visit(p, depth + 1);
      else if (e.isFile()) {
        const size = await isFile(p);
        if (size !== null) out.set(p, size);
      }
    }
  };
  for (const r of roots) await visit(resolve(r), 0);
  return out;
}

async function hashMatches(media: IxMedia, path: string): Promise<boolean> {
  if (!media.hash) return true;
  try {
    return sameContentHash(await quickHashFile(path), media.hash);
  } catch {
    return false;
  }
}

/** Whether the pattern `pattern` names frames here (and, with a hash, the same frames). */
async function sequenceMatches(media: IxMedia, pattern: string): Promise<boolean> {
  try {
    const source = await sequenceFromPattern(pattern, media.rate);
    return !media.hash || sameContentHash(await quickHashImageSequence(source.pattern, source.numbers), media.hash);
  } catch {
    return false;
  }
}

/** Where the image sequence `media` is on this machine (its pattern there), or null. */
async function locateSequence(media: IxMedia, options: ResolveOptions, files: () => Promise<Map<string, number>>): Promise<{ path: string; how: string } | null> {
  const name = basename(media.path);
  const beside = join(options.fileDir, name);
  for (const p of [...new Set([media.path, beside])]) {
    if (await sequenceMatches(media, p)) return { path: p, how: p === media.path ? 'path' : 'name beside the file' };
  }
  if (!options.search?.length) return null;
  // Folders holding files; the one named like the written folder is tried first.
  const folder = basename(dirname(media.path));
  const dirs = [...new Set([...(await files()).keys()].map((p) => dirname(p)))].sort((a, b) => Number(basename(b) === folder) - Number(basename(a) === folder));
  for (const d of dirs) if (await sequenceMatches(media, join(d, name))) return { path: join(d, name), how: basename(d) === folder ? 'name' : 'content hash' };
  return null;
}

/** Where `media` is on this machine, or null; `how` says which rule found it. */
async function locate(media: IxMedia, options: ResolveOptions, files: () => Promise<Map<string, number>>): Promise<{ path: string; how: string } | null> {
  if (isSequencePattern(media.path)) return locateSequence(media, options, files);
  const named = [media.path, join(options.fileDir, basename(media.path)), join(options.fileDir, media.name)];
  for (const p of [...new Set(named)]) {
    const size = await isFile(p);
    if (size === null || (media.hash && size !== media.hash.size)) continue;
    if (await hashMatches(media, p)) return { path: p, how: p === media.path ? 'path' : 'name beside the file' };
  }
  if (!options.search?.length) return null;
  const all = await files();
  const want = new Set([basename(media.path), media.name]);
  for (const [p, size] of all) {
    if (!want.has(basename(p)) || (media.hash && size !== media.hash.size)) continue;
    if (await hashMatches(media, p)) return { path: p, how: 'name' };
  }
  if (media.hash) {
    for (const [p, size] of all) if (size === media.hash.size && (await hashMatches(media, p))) return { path: p, how: 'content hash' };
  }
  return null;
}

export interface ResolvedMedia {
  /** The pool entry for each timeline media (by its written path), or null when not found. */
  byPath: Map<string, MediaRef | null>;
  notes: IxNote[];
}

export async function resolveMedia(project: Project, wanted: readonly IxMedia[], options: ResolveOptions): Promise<ResolvedMedia> {
  const notes: IxNote[] = [];
  let cache: Promise<Map<string, number>> | null = null;
  const files = () => (cache ??= walk(options.search ?? [], options.maxDepth ?? 6, options.maxEntries ?? 100_000));
  const found = new Map<string, string>();
  // Images carry no rate: a sequence is probed at the one the timeline counts its frames in.
  const rates = new Map<string, IxMedia['rate']>();
  for (const m of wanted) {
    const at = await locate(m, options, files);
    if (at) {
      found.set(m.path, resolve(at.path));
      if (isSequencePattern(at.path)) rates.set(resolve(at.path), m.rate);
      if (at.how !== 'path') notes.push({ kind: 'media', at: m.name, message: `relinked by ${at.how}: ${at.path} (the file said ${m.path})` });
    }
  }
  const paths = [...new Set(found.values())];
  const imported = paths.length ? await importMedia(project, paths, (p) => options.probe(p, rates.get(p))) : { imported: [], failed: [] };
  for (const f of imported.failed) notes.push({ kind: 'media', at: basename(f.path), message: `found at ${f.path} but cannot be read: ${f.error.message}` });
  const byPath = new Map<string, MediaRef | null>();
  for (const m of wanted) {
    const p = found.get(m.path);
    byPath.set(m.path, (p && project.doc.media.find((x) => x.path === p)) || null);
  }
  return { byPath, notes };
}

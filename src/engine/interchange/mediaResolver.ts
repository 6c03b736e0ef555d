import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { importMedia, type Probe } from '../app/mediaImport';
import { quickHashFile, sameContentHash, type MediaRef, type Project } from '../project';
import type { IxMedia, IxNote } from './model';

/**
 * Finds the files an imported timeline names and brings them into the project's pool: at the
 * path written (after the path map), beside the interchange file, then by name under the search
 * folders; where the file carries Lacuna's content hash (OTIO), a candidate must match it, and a
 * renamed file is found by its hash among files of the same size (as `project relink` does). The
 * found files are probed and hashed like any import; the pool entry already holding a file is
 * reused.
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

/** Where `media` is on this machine, or null; `how` says which rule found it. */
async function locate(media: IxMedia, options: ResolveOptions, files: () => Promise<Map<string, number>>): Promise<{ path: string; how: string } | null> {
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
  for (const m of wanted) {
    const at = await locate(m, options, files);
    if (at) {
      found.set(m.path, resolve(at.path));
      if (at.how !== 'path') notes.push({ kind: 'media', at: m.name, message: `relinked by ${at.how}: ${at.path} (the file said ${m.path})` });
    }
  }
  const paths = [...new Set(found.values())];
  const imported = paths.length ? await importMedia(project, paths, options.probe) : { imported: [], failed: [] };
  for (const f of imported.failed) notes.push({ kind: 'media', at: basename(f.path), message: `found at ${f.path} but cannot be read: ${f.error.message}` });
  const byPath = new Map<string, MediaRef | null>();
  for (const m of wanted) {
    const p = found.get(m.path);
    byPath.set(m.path, (p && project.doc.media.find((x) => x.path === p)) || null);
  }
  return { byPath, notes };
}

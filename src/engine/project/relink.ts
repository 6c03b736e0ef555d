import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { LacunaError, throwIfAborted } from '../util/errors';
import { quickHashFile, quickHashImageSequence, sameContentHash } from './contentHash';
import { expandFrameRuns, firstFrameNumber, frameFileName, lastFrameNumber } from './imageSequence';
import type { Project } from './project';
import type { MediaRef, ProjectDoc } from './schema';

/**
 * Finding media again after it moved. Missing media never stops a project from opening (it is
 * shown offline, and exports still work from the stored probe); relinking points the entry at
 * the file's new home, and only after the content hash proves it is the same media: a file
 * that merely has the same name (a re-export, another day's card with the same clip names) is
 * reported, never silently linked.
 */

export interface MissingMedia {
  mediaId: string;
  name: string;
  kind: MediaRef['kind'];
  /** Where it was expected. */
  path: string;
}

export interface RelinkOptions {
  /** Folder levels below the search folder to look into. Default 8. */
  maxDepth?: number;
  /** Directory entries to look at before giving up, so a search of a whole drive ends. Default 200,000. */
  maxEntries?: number;
  signal?: AbortSignal;
}

export type RelinkResult =
  | {
      mediaId: string;
      status: 'relinked';
      path: string;
      /** `name+hash`: same file name and content; `hash`: renamed, same content. */
      matchedBy: 'name+hash' | 'hash';
    }
  | {
      mediaId: string;
      status: 'notFound';
      /** Files that looked right (same name) but hold other content, with why. */
      rejected: Array<{ path: string; reason: string }>;
    };

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether the media is where its entry says. For an image sequence the first and last frames
 * are checked: stat-ing 100,000 frames at every load would make opening slow, and a sequence
 * with holes is caught by the hash when it is relinked or rendered.
 */
export async function isMediaOnline(media: MediaRef): Promise<boolean> {
  if (media.kind === 'file') return isFile(media.path);
  const first = frameFileName(media.path, firstFrameNumber(media.numberRuns));
  const last = frameFileName(media.path, lastFrameNumber(media.numberRuns));
  return (await isFile(first)) && (await isFile(last));
}

/** The media entries whose files are not where the document says. */
export async function findMissingMedia(doc: ProjectDoc): Promise<MissingMedia[]> {
  const online = await Promise.all(doc.media.map((m) => isMediaOnline(m)));
  return doc.media
    .filter((_, i) => !online[i])
    .map((m) => ({ mediaId: m.id, name: m.name, kind: m.kind, path: m.path }));
}

/** Hashes what would be at `path` for `media` (a file, or a sequence pattern) and compares. */
async function contentMatches(media: MediaRef, path: string, signal?: AbortSignal): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const hash =
      media.kind === 'file'
        ? await quickHashFile(path, { signal })
        : await quickHashImageSequence(path, expandFrameRuns(media.numberRuns), { signal });
    if (sameContentHash(hash, media.hash)) return { ok: true };
    return {
      ok: false,
      reason:
        hash.size !== media.hash.size
          ? `different content: ${hash.size} bytes, the original has ${media.hash.size}`
          : 'different content (same size, different bytes)',
    };
  } catch (e) {
    if (e instanceof LacunaError && e.code === 'CANCELLED') throw e;
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

interface Wanted {
  media: MediaRef;
  /** File name of the file, or of the sequence's first frame. */
  name: string;
  ext: string;
  /** Same name: checked whatever their size. */
  byName: string[];
  /** Same size and extension, another name: checked after the name matches. */
  bySize: string[];
}

function wantedFor(media: MediaRef): Wanted {
  const name = basename(media.kind === 'file' ? media.path : frameFileName(media.path, firstFrameNumber(media.numberRuns)));
  return { media, name, ext: extname(name).toLowerCase(), byName: [], bySize: [] };
}

/**
 * Walks `root` breadth-first (nearest matches first), calling `visit` for each regular file.
 * Hidden folders (.Trashes, .git, .Spotlight-V100) and symlinked folders (loops) are skipped;
 * the root itself is always searched.
 */
async function walk(
  root: string,
  options: RelinkOptions,
  visit: (dir: string, entry: Dirent) => void | Promise<void>,
): Promise<void> {
  const maxDepth = options.maxDepth ?? 8;
  let budget = options.maxEntries ?? 200_000;
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length && budget > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      throwIfAborted(options.signal, 'the media search');
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable folder (permissions, vanished): not this search's business
      }
      for (const entry of entries) {
        if (--budget < 0) return;
        if (entry.isDirectory()) {
          if (!entry.name.startsWith('.')) next.push(join(dir, entry.name));
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          await visit(dir, entry);
        }
      }
    }
    level = next;
  }
}

/** Collects, for each wanted media, the files under `root` that might be it. */
async function collectCandidates(root: string, wanted: Wanted[], options: RelinkOptions): Promise<void> {
  const byName = new Map<string, Wanted[]>();
  const bySizeExt = new Map<string, Wanted[]>();
  for (const w of wanted) {
    byName.set(w.name, [...(byName.get(w.name) ?? []), w]);
    if (w.media.kind === 'file') {
      const key = `${w.ext}\0${w.media.hash.size}`;
      bySizeExt.set(key, [...(bySizeExt.get(key) ?? []), w]);
    }
  }
  const exts = new Set([...bySizeExt.keys()].map((k) => k.split('\0')[0]));
  await walk(root, options, async (dir, entry) => {
    const path = join(dir, entry.name);
    for (const w of byName.get(entry.name) ?? []) w.byName.push(path);
    // Another name: only files of the same extension and exact size can hold the same bytes
    // (renamed files keep their extension in practice), so most files are not even stat-ed.
    const ext = extname(entry.name).toLowerCase();
    if (!exts.has(ext)) return;
    let size: number;
    try {
      const s = await stat(path);
      if (!s.isFile()) return;
      size = s.size;
    } catch {
      return;
    }
    for (const w of bySizeExt.get(`${ext}\0${size}`) ?? []) if (entry.name !== w.name) w.bySize.push(path);
  });
}

/** Tries the candidates of one media entry, best first; returns the verified path or why not. */
async function resolveWanted(w: Wanted, signal?: AbortSignal): Promise<RelinkResult> {
  const rejected: Array<{ path: string; reason: string }> = [];
  const mediaId = w.media.id;
  const tryPath = async (candidate: string, matchedBy: 'name+hash' | 'hash'): Promise<RelinkResult | null> => {
    // For a sequence, the candidate is its first frame: the sequence is the same pattern beside it.
    const target = w.media.kind === 'file' ? candidate : join(dirname(candidate), basename(w.media.path));
    const check = await contentMatches(w.media, target, signal);
    if (check.ok) return { mediaId, status: 'relinked', path: target, matchedBy };
    rejected.push({ path: candidate, reason: check.reason });
    return null;
  };
  for (const c of w.byName) {
    const r = await tryPath(c, 'name+hash');
    if (r) return r;
  }
  for (const c of w.bySize) {
    const r = await tryPath(c, 'hash');
    if (r) return r;
  }
  return { mediaId, status: 'notFound', rejected: rejected.filter((r) => basename(r.path) === w.name) };
}

/**
 * Relinks one media entry. `candidate` is either the file itself (for an image sequence: any
 * folder or frame of it), checked directly, or a folder to search (recursively, bounded).
 * The change is an ordinary undoable edit ("Relink Media").
 */
export async function relinkMedia(project: Project, mediaId: string, candidate: string, options: RelinkOptions = {}): Promise<RelinkResult> {
  const media = project.getMedia(mediaId);
  const w = wantedFor(media);
  const abs = resolve(candidate);
  let info;
  try {
    info = await stat(abs);
  } catch (e) {
    throw new LacunaError('NOT_FOUND', `nothing at ${abs}`, undefined, { cause: e });
  }
  if (info.isFile()) {
    if (media.kind === 'file') {
      const check = await contentMatches(media, abs, options.signal);
      if (!check.ok) return { mediaId, status: 'notFound', rejected: [{ path: abs, reason: check.reason }] };
      project.setMediaPath(mediaId, abs);
      return { mediaId, status: 'relinked', path: abs, matchedBy: basename(abs) === w.name ? 'name+hash' : 'hash' };
    }
    w.byName.push(join(dirname(abs), w.name));
  } else {
    // A folder: for a sequence, the folder itself is the likeliest home.
    if (media.kind === 'imageSequence') w.byName.push(join(abs, w.name));
    await collectCandidates(abs, [w], options);
  }
  w.byName = [...new Set(w.byName)];
  const result = await resolveWanted(w, options.signal);
  if (result.status === 'relinked') project.setMediaPath(mediaId, result.path);
  return result;
}

/**
 * Searches `folder` once for every missing media entry and relinks all it can verify, as one
 * undoable step. Returns a result per missing entry (empty when nothing was missing).
 */
export async function relinkAll(project: Project, folder: string, options: RelinkOptions = {}): Promise<RelinkResult[]> {
  const missing = await findMissingMedia(project.doc);
  if (!missing.length) return [];
  const wanted = missing.map((m) => wantedFor(project.getMedia(m.mediaId)));
  await collectCandidates(resolve(folder), wanted, options);
  const results: RelinkResult[] = [];
  for (const w of wanted) results.push(await resolveWanted(w, options.signal));
  const found = results.filter((r) => r.status === 'relinked');
  if (found.length) {
    project.batch(found.length === 1 ? 'Relink Media' : `Relink ${found.length} Media`, () => {
      // The search took time: skip entries the user removed meanwhile.
      for (const r of found) if (project.findMedia(r.mediaId)) project.setMediaPath(r.mediaId, r.path);
    });
  }
  return results;
}

import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LacunaError } from '../util/errors';

/**
 * How a worker sees the paths on a job. A job carries paths as the machine that submitted it
 * wrote them (`/Volumes/Media/sh010.mov`, `\\nas\media\sh010.mov`); each worker maps them to its
 * own mount of the same storage (`/mnt/media/sh010.mov`) with `--path-map from=to`, and may use
 * paths unchanged under `--root` folders. Any path that lands outside those roots is refused, so
 * nothing on the queue can make a worker read or write anywhere else (links that point out of a
 * root are followed before the check).
 */

export interface PathMapEntry {
  /** A folder as jobs name it (any platform's form). */
  from: string;
  /** The same folder on this machine. */
  to: string;
}

/** Forward slashes, no trailing slash; Windows forms (drive letters, UNC) compare case-insensitively. */
function normaliseForeign(path: string): { text: string; caseless: boolean } {
  const slashed = path.replace(/\\/g, '/');
  const caseless = /^[a-z]:(\/|$)/i.test(slashed) || path.startsWith('\\\\');
  const text = slashed.replace(/\/+$/, '');
  return { text: caseless ? text.toLowerCase() : text, caseless };
}

export function parsePathMapEntry(text: string): PathMapEntry {
  const at = text.lastIndexOf('=');
  const from = text.slice(0, at).trim();
  const to = text.slice(at + 1).trim();
  if (at <= 0 || !from || !to) throw new LacunaError('BAD_ARGUMENT', `"${text}" is not a path map`, 'Write it as from=to, for example /Volumes/Media=/mnt/media.');
  if (!isAbsolute(to)) throw new LacunaError('BAD_ARGUMENT', `the local side of the path map "${text}" must be an absolute path`);
  return { from, to: resolve(to) };
}

/** The deepest existing folder at or above `path`, through its links, with what is below it. */
function realPathOf(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.push(existing.slice(parent.length).replace(/^[\\/]+/, ''));
      existing = parent;
    }
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
}

export class PathMap {
  private readonly entries: { from: { text: string; caseless: boolean }; to: string }[];
  /** Local roots, as given and through their links. */
  private readonly roots: { given: string; real: string }[];

  constructor(maps: readonly PathMapEntry[], roots: readonly string[] = []) {
    // Longest prefix first, so /Volumes/Media/Plates wins over /Volumes/Media.
    this.entries = maps
      .map((m) => ({ from: normaliseForeign(m.from), to: resolve(m.to) }))
      .sort((a, b) => b.from.text.length - a.from.text.length);
    const all = [...maps.map((m) => resolve(m.to)), ...roots.map((r) => resolve(r))];
    this.roots = all.map((given) => ({ given, real: realPathOf(given) }));
    if (!this.roots.length) {
      throw new LacunaError('BAD_ARGUMENT', 'a worker needs at least one root', 'Give --root <folder> (shared storage as this machine mounts it) or --path-map from=to.');
    }
  }

  /** The roots jobs may touch, as this machine names them. */
  get localRoots(): string[] {
    return this.roots.map((r) => r.given);
  }

  /**
   * A job's path as this machine names it; refused (BAD_ARGUMENT, naming the path) when it falls
   * outside every root. `what` says which of the job's paths it is, for the message.
   */
  toLocal(jobPath: string, what: string): string {
    const slashed = jobPath.replace(/\\/g, '/').replace(/\/+$/, '');
    let local: string | null = null;
    for (const e of this.entries) {
      const p = e.from.caseless ? slashed.toLowerCase() : slashed;
      if (p === e.from.text || p.startsWith(`${e.from.text}/`)) {
        const tail = slashed.slice(e.from.text.length).replace(/^\/+/, '');
        local = tail ? join(e.to, ...tail.split('/')) : e.to;
        break;
      }
    }
    if (local === null) {
      if (!isAbsolute(jobPath)) throw refused(jobPath, what, this.localRoots, 'it is not an absolute path');
      local = resolve(jobPath);
    }
    const real = realPathOf(local);
    if (!this.roots.some((r) => inside(r.given, local) && inside(r.real, real))) throw refused(jobPath, what, this.localRoots);
    return local;
  }
}

function refused(path: string, what: string, roots: string[], why = 'it is outside this worker\'s roots'): LacunaError {
  return new LacunaError('BAD_ARGUMENT', `refused the job's ${what} ${path}: ${why}`, `This worker only reads and writes under ${roots.join(', ')} (add --root or --path-map).`);
}

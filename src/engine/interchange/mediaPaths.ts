import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LacunaError } from '../util/errors';

/**
 * How media paths are written into interchange files, and read back. Export can write them
 * absolute (the default: what NLEs link fastest), relative to the exported file's folder (a
 * folder that travels with its media), or rewritten by a path map for another machine or OS
 * (`/Volumes/Media=/mnt/media`, `/home/ed/shoot=D:\Shoot`). Import applies the same map
 * backwards-compatible: a map given on import rewrites the file's paths to this machine's.
 */

export interface PathMapEntry {
  from: string;
  to: string;
}

export interface PathOptions {
  /** Write paths relative to the exported file's folder where they can be. Default false. */
  relative?: boolean;
  /** Prefix rewrites, first match wins; applied before `relative`. */
  pathMap?: readonly PathMapEntry[];
}

/** Parses `from=to` (the CLI's and the API's form). */
export function parsePathMap(text: string): PathMapEntry {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) {
    throw new LacunaError('BAD_ARGUMENT', `path map "${text}" is not FROM=TO`, 'Example: --path-map /Volumes/Media=/mnt/media');
  }
  return { from: text.slice(0, at), to: text.slice(at + 1) };
}

const isWindowsPath = (p: string) => /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** `path` rewritten by the first map entry whose `from` is a whole-segment prefix of it. */
export function mapPath(path: string, map: readonly PathMapEntry[] = []): string {
  for (const { from, to } of map) {
    const f = from.replace(/[\\/]+$/, '');
    if (path !== f && !path.startsWith(f + '/') && !path.startsWith(f + '\\')) continue;
    const rest = path.slice(f.length);
    const target = to.replace(/[\\/]+$/, '');
    // A Windows target takes backslashes, a POSIX one slashes, whatever the source used.
    return isWindowsPath(target) ? target + rest.replace(/\//g, '\\') : target + rest.replace(/\\/g, '/');
  }
  return path;
}

/** Writes paths for one exported file living in `fileDir`. */
export class PathWriter {
  constructor(
    private readonly fileDir: string,
    private readonly options: PathOptions = {},
  ) {}

  /** The path as written: mapped, then relative (with `/`) when asked and possible. */
  path(abs: string): string {
    const mapped = mapPath(abs, this.options.pathMap);
    if (this.options.relative && mapped === abs) {
      const rel = relative(this.fileDir, abs);
      if (rel && !isAbsolute(rel)) return rel.split(sep).join('/');
    }
    return mapped;
  }

  /** The path as a URL: `file:///…` for an absolute path (Windows too), a relative URL otherwise. */
  url(abs: string): string {
    const p = this.path(abs);
    if (isWindowsPath(p)) return `file:///${encodeURI(p.replace(/\\/g, '/'))}`;
    if (p.startsWith('/')) return pathToFileURL(p).href;
    return p.split('/').map(encodeURIComponent).join('/');
  }
}

/** Reads paths and URLs from an imported file in `fileDir`, back to absolute local paths. */
export class PathReader {
  constructor(
    private readonly fileDir: string,
    private readonly pathMap: readonly PathMapEntry[] = [],
  ) {}

  /** `file://localhost/…`, `file:///…`, a plain absolute or relative path → an absolute path here. */
  resolve(written: string): string {
    let p = written.trim();
    if (/^file:/i.test(p)) {
      const url = p.replace(/^file:\/\/localhost\//i, 'file:///');
      try {
        p = fileURLToPath(url);
      } catch {
        p = decodeURIComponent(url.replace(/^file:\/*/i, '/'));
      }
    } else if (/%[0-9A-Fa-f]{2}/.test(p) && !isAbsolute(p)) {
      p = decodeURIComponent(p);
    }
    p = mapPath(p, this.pathMap);
    return isAbsolute(p) || isWindowsPath(p) ? p : resolve(this.fileDir, ...p.split('/'));
  }
}

// Which pack files verified before, so a launch stats gigabytes of weights instead of re-reading
// them. The cache is a shortcut past a security check, so it must not be something the pack can
// bring along or that a file change can slip past:
//
// - It lives in Lacuna's own data folder, never inside the pack: a downloaded archive or a shared
//   network folder cannot carry a cache that vouches for its own files.
// - An entry remembers the file's identity as the filesystem reports it: size, mtime, inode and
//   device, and the inode change time (ctime). Restoring a file's mtime after editing it (touch -d,
//   utimes) still moves its ctime, which no user tool can set back; copying another file in place
//   changes the inode. Any difference sends the file back through SHA-256.
// - An entry also holds the checksum it was verified against, so a pack updated in place (new
//   manifest) is hashed again even when nothing about the file changed.
// `lacuna models verify --full` ignores the cache and hashes everything.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../util/atomicWrite';

/** What identifies one version of a file on disk, as far as stat can tell. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

export function fileIdentity(st: Stats): FileIdentity {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, dev: st.dev };
}

const EntrySchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  ctimeMs: z.number(),
  ino: z.number(),
  dev: z.number(),
  sha256: z.string(),
});
type Entry = z.infer<typeof EntrySchema>;

const CacheFileSchema = z.object({
  version: z.literal(2),
  packDir: z.string(),
  files: z.record(z.string(), EntrySchema),
});

/**
 * Lacuna's data folder (shared by the app and the CLI): LACUNA_DATA_DIR when set, else the
 * platform's per-user application data folder.
 */
export function lacunaDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LACUNA_DATA_DIR) return env.LACUNA_DATA_DIR;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Lacuna');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Lacuna');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'lacuna');
}

/** The cache file for the pack in `packDir`: one per pack folder, in `cacheDir` (default: Lacuna's data folder). */
export function verifiedCachePath(packDir: string, cacheDir?: string): string {
  const dir = cacheDir ?? join(lacunaDataDir(), 'model-checks');
  const key = createHash('sha256').update(resolve(packDir)).digest('hex').slice(0, 16);
  return join(dir, `pack-verified-${key}.json`);
}

function sameIdentity(e: Entry, id: FileIdentity): boolean {
  return e.size === id.size && e.mtimeMs === id.mtimeMs && e.ctimeMs === id.ctimeMs && e.ino === id.ino && e.dev === id.dev;
}

/** Files of one pack that verified before, keyed by their path inside the pack. */
export class VerifiedCache {
  private dirty = false;

  private constructor(
    readonly file: string,
    readonly packDir: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /**
   * Reads the cache of the pack in `packDir` from `file`; a missing, unreadable or malformed one,
   * or one written for another folder, is simply empty (it only saves time).
   */
  static async open(file: string, packDir: string): Promise<VerifiedCache> {
    const dir = resolve(packDir);
    try {
      const parsed = CacheFileSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (parsed.success && parsed.data.packDir === dir) return new VerifiedCache(file, dir, new Map(Object.entries(parsed.data.files)));
    } catch {
      // fall through to an empty cache
    }
    return new VerifiedCache(file, dir, new Map());
  }

  /** Whether `path`, as it is now (`id`), verified against `sha256` before. */
  has(path: string, id: FileIdentity, sha256: string): boolean {
    const e = this.entries.get(path);
    return !!e && e.sha256 === sha256 && sameIdentity(e, id);
  }

  remember(path: string, id: FileIdentity, sha256: string): void {
    this.entries.set(path, { ...id, sha256 });
    this.dirty = true;
  }

  forget(path: string): void {
    this.dirty = this.entries.delete(path) || this.dirty;
  }

  /**
   * Writes the cache if anything changed. Returns false when it could not be written (no data
   * folder): verification still stands, it will just be repeated next launch.
   */
  async save(): Promise<boolean> {
    if (!this.dirty) return true;
    const files = Object.fromEntries([...this.entries].sort(([a], [b]) => a.localeCompare(b)));
    try {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify({ version: 2, packDir: this.packDir, files }, null, 2)}\n`);
      this.dirty = false;
      return true;
    } catch {
      return false;
    }
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LacunaError, cancelledError, writeFailure } from '../util/errors';

/**
 * One writer at a time per project file, across processes and machines.
 *
 * Several writers may change one project: the app, `lacuna project …` and `lacuna remove
 * --project` runs, render-farm collectors writing takes back. Each loads, edits and saves; two
 * that overlap would each save their own edit over the other's. The lock makes "load, edit, save"
 * one step: whoever holds `.<name>.lacuna.lock` beside the project is the only writer.
 *
 * - The lock file says who holds it (pid, host, what for, since when), so a writer that has to
 *   wait, or gives up, can say on whom.
 * - It is created whole and atomically (written to a temp file, then hard-linked into place,
 *   which fails if the lock exists), so nobody ever reads a half-written holder.
 * - A holder refreshes the file's mtime while it holds it (a heartbeat). A lock is stale, and is
 *   broken by the next writer, when its holder is a process of this host that no longer exists,
 *   or when its heartbeat is older than `staleMs` (a crashed holder on another host, a network
 *   share after a power cut).
 * - Within one process the lock is re-entrant along one async call chain (a save inside
 *   `updateProject` does not wait for itself), and other async chains of the same process queue
 *   for it like other processes do.
 */

export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is doing ("lacuna project add", "farm collector"), for messages. */
  purpose: string;
  /** ISO time it was taken. */
  since: string;
  /** Random; tells this holding apart from an earlier one by the same process. */
  token: string;
}

export interface ProjectLockOptions {
  /** How long to wait for another holder before giving up with PROJECT_LOCKED. Default 60 s. */
  waitMs?: number;
  /** A lock whose heartbeat is older than this is stale. Default 30 s. */
  staleMs?: number;
  /** Shown to whoever waits on this lock. Default: this process's command line, shortened. */
  purpose?: string;
  /** Called once when the lock is busy and this writer starts waiting (a CLI prints it). */
  onWait?: (holder: LockHolder | null) => void;
  signal?: AbortSignal;
}

const DEFAULT_WAIT_MS = 60_000;
const DEFAULT_STALE_MS = 30_000;
/** A lock file that cannot be parsed (written by a non-atomic fallback that crashed) gets this long. */
const UNREADABLE_GRACE_MS = 5_000;

export function lockPathFor(projectPath: string): string {
  const abs = resolve(projectPath);
  return join(dirname(abs), `.${basename(abs)}.lock`);
}

const held = new AsyncLocalStorage<ReadonlySet<string>>();
/** In-process queue per lock file: chains of this process take turns before touching the file. */
const queues = new Map<string, Promise<unknown>>();

function defaultPurpose(): string {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  return ['lacuna', ...args.slice(0, 2)].join(' ');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

interface ReadLock {
  holder: LockHolder | null;
  text: string;
  mtimeMs: number;
}

async function readLock(path: string): Promise<ReadLock | null> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    let holder: LockHolder | null = null;
    try {
      const raw = JSON.parse(text) as Partial<LockHolder>;
      if (typeof raw.pid === 'number' && typeof raw.host === 'string' && typeof raw.token === 'string') holder = raw as LockHolder;
    } catch {
      // unreadable: judged by age alone
    }
    return { holder, text, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Why the lock read is stale (so it may be broken), or null while its holder may be alive. */
function staleReason(lock: ReadLock, staleMs: number): string | null {
  const age = Date.now() - lock.mtimeMs;
  const h = lock.holder;
  if (!h) return age > UNREADABLE_GRACE_MS ? 'its lock file is unreadable' : null;
  if (h.host === hostname() && h.pid !== process.pid && !processAlive(h.pid)) return `process ${h.pid} is gone`;
  if (age > staleMs) return `no sign of life for ${Math.round(age / 1000)} s`;
  return null;
}

/** Creates the lock file holding `holder`, whole, only if there is none. False when one exists. */
async function tryCreate(path: string, holder: LockHolder): Promise<boolean> {
  const text = `${JSON.stringify(holder, null, 2)}\n`;
  const tmp = `${path}.${holder.token.slice(0, 8)}.partial`;
  try {
    await rm(tmp, { force: true });
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, path);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
      return await createDirectly(path, text);
    }
  } catch (e) {
    // A full or read-only disk: say it was the lock that could not be written (nothing else was).
    throw writeFailure(e, `the project's lock file ${path}`);
  } finally {
    // Whatever happened, the temp copy goes (a full disk must not leave it for the next run).
    await rm(tmp, { force: true });
  }
}

/** Exclusive create, for a filesystem without hard links (FAT, some SMB shares); a half-written lock is removed. */
async function createDirectly(path: string, text: string): Promise<boolean> {
  let out;
  try {
    out = await open(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    await out.writeFile(text);
  } catch (e) {
    await out.close().catch(() => {});
    await rm(path, { force: true });
    throw e;
  }
  await out.close();
  return true;
}

/**
 * Removes the stale lock `seen`, unless it changed since it was read (then someone took it
 * fresh: leave it). Moving it aside first makes the check-and-remove safe against another
 * writer breaking the same stale lock at the same moment.
 */
async function breakStale(path: string, seen: ReadLock): Promise<void> {
  const aside = `${path}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it
    throw e;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== null && moved !== seen.text) {
    // Not the stale one: a writer took the lock between our read and the move. Put it back
    // (link fails if yet another writer already holds a new one, which then stands).
    await link(aside, path).catch(() => {});
  }
  await rm(aside, { force: true });
}

function lockedError(projectPath: string, holder: LockHolder | null, waitedMs: number): LacunaError {
  const who = holder ? `${holder.purpose} (process ${holder.pid} on ${holder.host}, since ${holder.since})` : 'another writer';
  return new LacunaError(
    'PROJECT_LOCKED',
    `${basename(projectPath)} is being changed by ${who}; waited ${Math.round(waitedMs / 1000)} s`,
    `Try again when it has finished. If no such process exists, delete ${lockPathFor(projectPath)}.`,
  );
}

async function acquire(projectPath: string, options: ProjectLockOptions): Promise<{ release: () => Promise<void> }> {
  const path = lockPathFor(projectPath);
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const holder: LockHolder = {
    pid: process.pid,
    host: hostname(),
    purpose: options.purpose ?? defaultPurpose(),
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const started = Date.now();
  let announced = false;
  let delay = 10;
  for (;;) {
    if (options.signal?.aborted) throw cancelledError('waiting for the project lock');
    if (await tryCreate(path, holder)) break;
    const current = await readLock(path);
    if (!current) continue; // released between our attempt and the read
    if (staleReason(current, staleMs)) {
      await breakStale(path, current);
      continue;
    }
    if (Date.now() - started >= waitMs) throw lockedError(projectPath, current.holder, Date.now() - started);
    if (!announced) {
      announced = true;
      options.onWait?.(current.holder);
    }
    await sleep(delay + Math.random() * delay, undefined, { signal: options.signal }).catch(() => {});
    delay = Math.min(delay * 2, 250);
  }

  // Heartbeat: a holder that works for long (a slow disk, a big import) stays fresh.
  const beat = setInterval(() => {
    const t = new Date();
    void utimes(path, t, t).catch(() => {});
  }, Math.max(staleMs / 3, 100));
  beat.unref();
  return {
    release: async () => {
      clearInterval(beat);
      const current = await readLock(path).catch(() => null);
      // Only our own holding: if ours was broken as stale, the file now belongs to someone else.
      if (current?.holder?.token === holder.token) await rm(path, { force: true });
    },
  };
}

/**
 * Runs `fn` while holding the lock of the project file at `projectPath` (waits for another
 * holder up to `waitMs`, then throws PROJECT_LOCKED naming it). Re-entrant within one async call
 * chain. Every writer of a project file goes through this: `saveProject` takes it for its own
 * write, and `updateProject` (update.ts) for a whole load-edit-save.
 */
export async function withProjectLock<T>(projectPath: string, fn: () => Promise<T>, options: ProjectLockOptions = {}): Promise<T> {
  const key = lockPathFor(projectPath);
  const mine = held.getStore();
  if (mine?.has(key)) return fn();

  const prior = queues.get(key) ?? Promise.resolve();
  let done!: () => void;
  const turn = new Promise<void>((r) => (done = r));
  const tail = prior.then(() => turn);
  queues.set(key, tail);
  try {
    await prior;
    const lock = await acquire(projectPath, options);
    try {
      return await held.run(new Set([...(mine ?? []), key]), fn);
    } finally {
      await lock.release();
    }
  } finally {
    done();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

/** Who holds the lock of `projectPath` now (null when nobody), for `lacuna doctor` and tests. */
export async function projectLockHolder(projectPath: string): Promise<LockHolder | null> {
  return (await readLock(lockPathFor(projectPath)))?.holder ?? null;
}

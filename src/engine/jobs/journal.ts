import { randomUUID } from 'node:crypto';
import { readFile, rename, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomicWrite';
import { LacunaError } from '../util/errors';
import { JobRecordSchema, type JobRecord } from './jobRecord';

/**
 * The on-disk list of jobs, `<dataDir>/jobs.journal.json`, rewritten whole and atomically
 * (temp file + fsync + rename) on every state change. Whole-file rewrites keep it trivially
 * consistent: after a crash it holds either the state before a change or the state after,
 * never a torn mix, and the next run can tell which jobs were cut short.
 *
 * It names its owner (process id plus a random instance id), and the owner touches it every
 * HEARTBEAT_MS: a journal whose owner process is gone, or silent, and that still lists queued
 * or running jobs is the trace of a crash.
 */

export const JOURNAL_FILE = 'jobs.journal.json';
const FORMAT = 'lacuna.jobs';
/** How often an open journal's modification time is refreshed, to show its owner is alive. */
const HEARTBEAT_MS = 30_000;
/**
 * An owner whose journal has not been touched for this long is gone, even if a process with
 * its pid exists: after a crash the pid may have been reused by an unrelated program, and
 * refusing to start because of that would lock the user out of the app.
 */
const STALE_MS = 4 * HEARTBEAT_MS;
const VERSION = 1;

const OwnerSchema = z.object({ pid: z.number().int(), instance: z.string(), since: z.string() });
export type JournalOwner = z.infer<typeof OwnerSchema>;

const JournalFileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  /** null once its owner closed it cleanly. */
  owner: OwnerSchema.nullable(),
  jobs: z.array(z.unknown()),
});

export interface JournalContents {
  /** The process that wrote it last, if it did not close it cleanly. */
  owner: JournalOwner | null;
  jobs: JobRecord[];
  /** Entries that could not be read (kept in a `.unreadable-…` copy of the file). */
  problems: string[];
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else, so it is alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class JobJournal {
  readonly path: string;
  readonly owner: JournalOwner = { pid: process.pid, instance: randomUUID(), since: new Date().toISOString() };
  #dirty = false;
  #released = false;
  #flushing: Promise<void> | null = null;
  #heartbeat: ReturnType<typeof setInterval> | null = null;

  private constructor(
    dataDir: string,
    private readonly snapshot: () => readonly JobRecord[],
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    this.path = join(dataDir, JOURNAL_FILE);
  }

  /**
   * Reads the journal in `dataDir` and takes it over. Refuses while another live process owns
   * it: two queues writing one journal would each erase the other's jobs.
   */
  static async open(
    dataDir: string,
    snapshot: () => readonly JobRecord[],
    log: (message: string, error?: unknown) => void,
  ): Promise<{ journal: JobJournal; contents: JournalContents }> {
    const journal = new JobJournal(dataDir, snapshot, log);
    const contents = await journal.#read();
    const o = contents.owner;
    if (o && o.pid !== process.pid && isProcessAlive(o.pid) && (await journal.#touchedWithin(STALE_MS))) {
      throw new LacunaError(
        'BAD_ARGUMENT',
        `the job list in ${dataDir} is in use by another Lacuna process (pid ${o.pid}, since ${o.since})`,
        'Close the other Lacuna window or command first, or give this one its own data folder.',
      );
    }
    journal.#heartbeat = setInterval(() => {
      const now = new Date();
      utimes(journal.path, now, now).catch(() => {});
    }, HEARTBEAT_MS);
    // The heartbeat alone must not keep a CLI process alive.
    journal.#heartbeat.unref();
    return { journal, contents };
  }

  async #touchedWithin(ms: number): Promise<boolean> {
    try {
      return Date.now() - (await stat(this.path)).mtimeMs < ms;
    } catch {
      return false;
    }
  }

  async #read(): Promise<JournalContents> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { owner: null, jobs: [], problems: [] };
      throw new LacunaError('BAD_ARGUMENT', `cannot read the job list ${this.path}: ${(e as Error).message}`, 'Check the permissions of the data folder.');
    }
    let file: z.infer<typeof JournalFileSchema>;
    try {
      file = JournalFileSchema.parse(JSON.parse(text));
    } catch (e) {
      await this.#setAside();
      return { owner: null, jobs: [], problems: [`the job list was unreadable (${(e as Error).message.split('\n')[0]}); a copy was kept`] };
    }
    const jobs: JobRecord[] = [];
    const problems: string[] = [];
    for (const [i, raw] of file.jobs.entries()) {
      const parsed = JobRecordSchema.safeParse(raw);
      if (parsed.success) jobs.push(parsed.data);
      else problems.push(`job ${i} of the job list was unreadable and was left out: ${parsed.error.issues[0]?.message}`);
    }
    if (problems.length) await this.#setAside();
    return { owner: file.owner, jobs, problems };
  }

  /** Keeps an unreadable journal beside the new one instead of overwriting it (lose nothing). */
  async #setAside(): Promise<void> {
    const aside = `${this.path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside).catch((e) => this.log(`could not keep a copy of the unreadable job list as ${aside}`, e));
  }

  /**
   * Writes the current jobs (from the snapshot function) soon. Calls made while a write is in
   * flight are folded into one more write, so a burst of changes costs two writes, not N, and
   * the last state always lands. Resolves once a write that includes this call's state is done.
   */
  save(): Promise<void> {
    this.#dirty = true;
    this.#flushing ??= this.#flush();
    return this.#flushing;
  }

  /** Final write with no owner: the next run knows this one closed cleanly. */
  async release(): Promise<void> {
    this.#released = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    await this.save();
  }

  async #flush(): Promise<void> {
    try {
      while (this.#dirty) {
        this.#dirty = false;
        const body = { format: FORMAT, version: VERSION, owner: this.#released ? null : this.owner, jobs: this.snapshot() };
        try {
          await writeFileAtomic(this.path, JSON.stringify(body, null, 1) + '\n');
        } catch (e) {
          // The queue keeps working without a journal; the cost is crash recovery, not the jobs.
          this.log(`could not write the job list ${this.path}`, e);
        }
      }
    } finally {
      this.#flushing = null;
    }
  }
}

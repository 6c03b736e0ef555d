import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';

/** The welcome screen's list: projects opened or saved lately, newest first, kept in the data folder. */
export interface RecentProject {
  path: string;
  name: string;
  at: string;
}

const LIMIT = 12;

export class RecentProjects {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.#file = join(dataDir, 'recent-projects.json');
  }

  async #read(): Promise<RecentProject[]> {
    try {
      const list = JSON.parse(await readFile(this.#file, 'utf8'));
      return Array.isArray(list) ? list.filter((r) => typeof r?.path === 'string' && typeof r?.name === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Puts `path` first (one at a time, so two quick saves cannot drop each other's entry). */
  touch(path: string, name: string): Promise<void> {
    const run = this.#queue.then(async () => {
      const list = (await this.#read()).filter((r) => r.path !== path);
      await writeFileAtomic(this.#file, JSON.stringify([{ path, name, at: new Date().toISOString() }, ...list].slice(0, LIMIT), null, 1));
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /** The list, without projects whose file has gone. */
  async list(): Promise<RecentProject[]> {
    const list = await this.#read();
    const present = await Promise.all(list.map((r) => stat(r.path).then(() => true, () => false)));
    return list.filter((_, i) => present[i]);
  }
}

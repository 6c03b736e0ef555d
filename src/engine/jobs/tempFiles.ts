import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';

/**
 * A job's scratch folder. It lives inside the job's output folder, not in a system temp dir,
 * so the finished render reaches its final name by a rename on the same filesystem (instant
 * and atomic even for a 50 GB ProRes file) instead of a copy across drives. Its name starts
 * with a dot and carries the job id, so nobody mistakes it for a result, and so a later run
 * can find and delete it after a crash from the journal alone.
 */
export function jobTempDir(outputDir: string, jobId: string): string {
  return join(outputDir, `.lacuna-job-${jobId}`);
}

export class JobTempFiles {
  #count = 0;
  #created = false;

  constructor(readonly dir: string) {}

  /**
   * A fresh path in the job's scratch folder (the folder exists once this resolves). `name`
   * keeps its extension, since ffmpeg picks the container from it; a counter keeps two
   * requests for the same name apart.
   */
  async file(name: string): Promise<string> {
    if (!this.#created) {
      await mkdir(this.dir, { recursive: true });
      this.#created = true;
    }
    this.#count++;
    return join(this.dir, `${this.#count}-${basename(name)}`);
  }

  /** Deletes the folder and everything in it (idempotent). */
  async removeAll(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

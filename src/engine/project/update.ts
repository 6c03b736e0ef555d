import { resolve } from 'node:path';
import type { Project } from './project';
import { withProjectLock, type ProjectLockOptions } from './projectLock';
import { loadProject, saveProject, type LoadResult } from './store';

export interface UpdateOptions extends ProjectLockOptions {
  /** Keep the previous file as `<name>.bak` (default true). */
  backup?: boolean;
}

export interface UpdateResult<T> {
  value: T;
  /** The project as saved (or as loaded, when the edit changed nothing). */
  project: Project;
  /** Whether the edit changed anything, so the file was written. */
  saved: boolean;
}

/**
 * The safe way for any writer to change a project file it does not hold open: under the
 * project's lock (projectLock.ts), load the file as it is NOW, apply `edit` to it, and save it
 * atomically (previous version kept as .bak). Two writers at once each see the other's change,
 * so neither is lost, however long each took to get here.
 *
 * The CLI's project commands use it, as does a finished `remove --project` run writing its take
 * back; a render-farm collector does the same with its results:
 *
 *     await updateProject(projectFile, (project) => project.addTake(clipId, { mediaId, ... }));
 *
 * `edit` may be async (probe a file, hash it) but should be short: other writers wait for it.
 * Do slow work (rendering) before, outside the lock. If `edit` throws, nothing is saved.
 */
export async function updateProject<T>(
  projectPath: string,
  edit: (project: Project, loaded: LoadResult) => T | Promise<T>,
  options: UpdateOptions = {},
): Promise<UpdateResult<T>> {
  const abs = resolve(projectPath);
  return withProjectLock(
    abs,
    async () => {
      const loaded = await loadProject(abs);
      const value = await edit(loaded.project, loaded);
      const saved = loaded.project.dirty;
      if (saved) await saveProject(loaded.project, abs, { backup: options.backup });
      return { value, project: loaded.project, saved };
    },
    options,
  );
}

import { dirname, join } from 'node:path';
import { safeFileNamePart } from './placeOutput';

/**
 * Where renders go, and what they are called. Beside a saved project, in "<project> Renders/",
 * so the renders travel with the project folder (relative media paths keep working after a
 * move) and sit where an editor looks for them; a never-saved project has no folder yet, so
 * its renders go to the renders folder of the app's settings (`unsavedDir`), else the data
 * folder's, and move beside the project on its first save (src/engine/app/moveRenders.ts). File names say what the file is (clip, what was
 * done, take number) because editors find renders in Finder and NLE bins, not through Lacuna.
 */

export function rendersDirFor(project: { path: string | null; name: string }, dataDir: string, unsavedDir?: string | null): string {
  return project.path ? join(dirname(project.path), `${safeFileNamePart(project.name)} Renders`) : (unsavedDir ?? join(dataDir, 'renders'));
}

/** "A001_C002 interview - Transcode ProRes 422 HQ - Take 2" (no extension: the job's file sets it). */
export function renderName(clipName: string, what: string, takeNumber: number): string {
  return `${safeFileNamePart(clipName)} - ${safeFileNamePart(what)} - Take ${takeNumber}`;
}

import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Project } from '../project';
import { writeFileAtomic } from '../util/atomicWrite';
import { LacunaError } from '../util/errors';

/**
 * Autosave and crash recovery. Every few minutes the open project, when it has unsaved changes,
 * is written to a side file: `<project>.lacuna.autosave` beside a saved project, or
 * `<data>/autosave/<id>.lacuna` for one never saved. The real file is never touched (saving stays
 * the user's decision); a save removes the side file. After a crash, a side file newer than its
 * project is offered back on the next start ("Recover"), opening the project as it was with the
 * changes unsaved, or thrown away ("Discard").
 */

export const AUTOSAVE_SUFFIX = '.autosave';
export const AUTOSAVE_INTERVAL_MS = 2 * 60_000;

export interface Recovery {
  /** The side file holding the unsaved changes. */
  autosavePath: string;
  /** The project file it belongs to; null for a project never saved. */
  projectPath: string | null;
  name: string;
  savedAt: string;
}

export function autosavePathFor(project: Pick<Project, 'path' | 'doc'>, dataDir: string): string {
  return project.path ? project.path + AUTOSAVE_SUFFIX : join(dataDir, 'autosave', `${project.doc.id}.lacuna`);
}

/** Writes the project's current state to its side file. */
export async function writeAutosave(project: Project, dataDir: string): Promise<string> {
  const target = autosavePathFor(project, dataDir);
  const { doc } = project.snapshot();
  // The document as held in memory (absolute paths): a recovery on this machine needs nothing else.
  const record = JSON.stringify({ autosaveOf: project.path, savedAt: new Date().toISOString(), project: doc });
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, record);
  return target;
}

export async function removeAutosave(project: Pick<Project, 'path' | 'doc'>, dataDir: string): Promise<void> {
  await rm(autosavePathFor(project, dataDir), { force: true });
}

async function readRecord(path: string): Promise<{ autosaveOf: string | null; savedAt: string; project: { name?: string } }> {
  return JSON.parse(await readFile(path, 'utf8'));
}

/** Side files worth offering: never-saved projects' in the data folder, and `projectPath`'s when newer than it. */
export async function findRecoveries(dataDir: string, projectPaths: readonly string[]): Promise<Recovery[]> {
  const out: Recovery[] = [];
  const dir = join(dataDir, 'autosave');
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const f of files.filter((x) => x.endsWith('.lacuna'))) {
    const r = await readRecord(join(dir, f)).catch(() => null);
    if (r) out.push({ autosavePath: join(dir, f), projectPath: null, name: r.project.name ?? 'Untitled', savedAt: r.savedAt });
  }
  for (const p of projectPaths) {
    const side = p + AUTOSAVE_SUFFIX;
    const [a, b] = await Promise.all([stat(side).catch(() => null), stat(p).catch(() => null)]);
    if (!a || (b && b.mtimeMs >= a.mtimeMs)) continue;
    const r = await readRecord(side).catch(() => null);
    if (r) out.push({ autosavePath: side, projectPath: p, name: r.project.name ?? p, savedAt: r.savedAt });
  }
  return out;
}

/** The project as autosaved, belonging to its real file (or none), with the changes unsaved. */
export async function loadRecovery(autosavePath: string): Promise<Project> {
  let record: Awaited<ReturnType<typeof readRecord>>;
  try {
    record = await readRecord(autosavePath);
  } catch {
    throw new LacunaError('PROJECT_INVALID', 'the autosaved changes cannot be read', 'Discard them; the project file itself is unchanged.');
  }
  const project = Project.fromDocument(record.project, { path: record.autosaveOf, source: autosavePath });
  project.markUnsaved();
  return project;
}

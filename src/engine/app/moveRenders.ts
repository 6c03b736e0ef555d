import { copyFile, link, mkdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { rendersDirFor } from '../jobs/renderLocation';
import type { Project } from '../project';

/**
 * Renders made before a project's first save live in the app's data folder (there was nowhere
 * else). When the project gets a file, they move to "<project> Renders/" beside it and the
 * project points at them there, so the project folder is self-contained. Only files this project
 * refers to move; a name already taken gets " (2)". One undo step.
 */
export async function moveRendersBeside(project: Project, projectFile: string, dataDir: string, unsavedDir?: string | null): Promise<number> {
  const name = basename(projectFile, extname(projectFile));
  const from = resolve(rendersDirFor({ path: null, name }, dataDir, unsavedDir));
  const to = rendersDirFor({ path: resolve(projectFile), name }, dataDir);
  const moving = project.doc.media.filter((m) => m.kind === 'file' && dirname(m.path) === from);
  if (!moving.length) return 0;
  await mkdir(to, { recursive: true });
  const moved: { id: string; path: string; old: string }[] = [];
  for (const m of moving) {
    let dest = join(to, basename(m.path));
    for (let n = 2; await stat(dest).then(() => true, () => false); n++) {
      dest = join(to, `${basename(m.path, extname(m.path))} (${n})${extname(m.path)}`);
    }
    // The new name first (a hard link, or a copy on another drive), then the project points there,
    // then the old name goes: the viewer never asks for a file that is not there.
    try {
      await link(m.path, dest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV' && (e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
      await copyFile(m.path, dest);
    }
    moved.push({ id: m.id, path: dest, old: m.path });
  }
  project.batch('Move Renders Beside Project', () => {
    for (const m of moved) project.setMediaPath(m.id, m.path);
  });
  // A moment for open previews of the old name to finish before it goes.
  setTimeout(() => void Promise.all(moved.map((m) => rm(m.old, { force: true }))), 2000).unref?.();
  return moved.length;
}

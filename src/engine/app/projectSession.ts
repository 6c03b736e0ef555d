import { basename, extname } from 'node:path';
import { ApiError } from '../../api/errors';
import type { ProjectDto } from '../../api/schemas/project';
import { isMediaOnline, loadProject, Project, saveProject, type MediaRef } from '../project';
import { LacunaError } from '../util/errors';
import { toProjectDto } from './projectView';

export const PROJECT_EXTENSION = '.lacuna';

/**
 * The one project open in the app: which it is, where it lives, whether it has unsaved
 * changes, and which of its media files are reachable. Every change to it, whatever caused it
 * (an edit, undo, a save, a finished job adding a take), is published as project.changed.
 *
 * Media reachability is checked asynchronously (at open, import, and when asked) and cached,
 * because the projection runs after every edit and must not stat a network drive each time.
 */
export class ProjectSession {
  #project: Project | null = null;
  #unsubscribe: (() => void) | null = null;
  readonly #online = new Map<string, boolean>();

  constructor(private readonly publish: (project: ProjectDto | null) => void) {}

  get current(): Project | null {
    return this.#project;
  }

  /** The open project, or NO_PROJECT for calls that need one. */
  require(): Project {
    if (!this.#project) {
      throw new ApiError({ code: 'NO_PROJECT', message: 'no project is open', hint: 'Create a new project or open one first.' });
    }
    return this.#project;
  }

  view(): ProjectDto | null {
    return this.#project ? toProjectDto(this.#project, { online: (m) => this.#online.get(m.id) ?? true }) : null;
  }

  /** Refuses to drop unsaved work unless the caller says the user chose to. */
  ensureCanReplace(discardChanges: boolean): void {
    const p = this.#project;
    if (p?.dirty && !discardChanges) {
      throw new ApiError({
        code: 'UNSAVED_CHANGES',
        message: `"${p.doc.name}" has unsaved changes`,
        hint: 'Save it first, or confirm that the changes may be discarded.',
      });
    }
  }

  newProject(name: string, discardChanges: boolean): ProjectDto {
    this.ensureCanReplace(discardChanges);
    this.#open(Project.create({ name }), []);
    return this.view()!;
  }

  async open(path: string, discardChanges: boolean): Promise<ProjectDto> {
    this.ensureCanReplace(discardChanges);
    const loaded = await loadProject(path);
    // The user may have started editing something else while the file loaded.
    this.ensureCanReplace(discardChanges);
    this.#open(
      loaded.project,
      loaded.missingMedia.map((m) => m.mediaId),
    );
    return this.view()!;
  }

  async save(): Promise<ProjectDto> {
    const p = this.require();
    if (!p.path) {
      throw new LacunaError('BAD_ARGUMENT', `"${p.doc.name}" has not been saved yet, so it has no file to save to`, 'Use Save As to choose one.');
    }
    await saveProject(p, p.path);
    return this.view()!;
  }

  async saveAs(path: string): Promise<ProjectDto> {
    const p = this.require();
    const file = extname(path) ? path : path + PROJECT_EXTENSION;
    // Save As names the project after its file, as every NLE does ("Untitled" → "Harbour cut").
    const name = basename(file, extname(file)).trim();
    if (name && name !== p.doc.name) p.rename(name);
    await saveProject(p, file);
    return this.view()!;
  }

  /** Makes `project` the open one (a recovered autosave), with the same guard as open. */
  adopt(project: Project, discardChanges: boolean): ProjectDto {
    this.ensureCanReplace(discardChanges);
    this.#open(project, []);
    return this.view()!;
  }

  close(discardChanges: boolean): null {
    this.ensureCanReplace(discardChanges);
    this.#detach();
    this.#project = null;
    this.#online.clear();
    this.publish(null);
    return null;
  }

  /** Re-checks which media files are reachable; publishes if anything changed. */
  async refreshOnline(): Promise<void> {
    const p = this.#project;
    if (!p) return;
    const media: readonly MediaRef[] = p.doc.media;
    const results = await Promise.all(media.map(async (m) => [m.id, await isMediaOnline(m)] as const));
    if (this.#project !== p) return;
    let changed = false;
    for (const [id, online] of results) {
      if (this.#online.get(id) !== online) changed = true;
      this.#online.set(id, online);
    }
    if (changed) this.publish(this.view());
  }

  /** Marks media known to be on disk (just imported or rendered), without a stat. */
  markOnline(mediaIds: readonly string[]): void {
    for (const id of mediaIds) this.#online.set(id, true);
  }

  /**
   * Every file path the project refers to (media, takes, mattes). The media endpoint serves
   * only these, so the page cannot read arbitrary files through it.
   */
  paths(): Set<string> {
    return new Set(this.#project?.doc.media.filter((m) => m.kind === 'file').map((m) => m.path) ?? []);
  }

  #open(project: Project, missingMediaIds: readonly string[]): void {
    this.#detach();
    this.#project = project;
    this.#online.clear();
    for (const m of project.doc.media) this.#online.set(m.id, !missingMediaIds.includes(m.id));
    this.#unsubscribe = project.onChange(() => this.publish(this.view()));
    this.publish(this.view());
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }
}

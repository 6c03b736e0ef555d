import { useCallback, useMemo } from 'react';
import { ApiError } from '../../../api/errors';
import type { AppInfoDto } from '../../../api/schemas/app';
import type { ProjectDto } from '../../../api/schemas/project';
import { useClient } from '../clientContext';
import { PathDialog, type PathRequest } from '../shell/PathDialog';
import { UnsavedDialog, type UnsavedChoice } from '../shell/UnsavedDialog';
import type { Ask } from './useDialogHost';
import { ImportDialog, type ImportChoice } from '../bin/ImportDialog';
import { shortenPath } from '../format';

export interface ProjectCommands {
  newProject(): Promise<void>;
  openProject(): Promise<void>;
  save(): Promise<boolean>;
  saveAs(): Promise<boolean>;
  undo(): Promise<void>;
  redo(): Promise<void>;
  importMedia(paths?: string[]): Promise<void>;
}

/**
 * The project-level flows shared by the project bar, the menu and keyboard shortcuts. Paths come
 * from native dialogs when the host has them, else from a typed-path dialog. Unsaved work is
 * never dropped silently: the engine refuses unless discardChanges, and that flag is only set
 * after the user said "Don't save".
 */
export function useProjectCommands(
  project: ProjectDto | null,
  info: AppInfoDto | null,
  ask: Ask,
  reportError: (e: unknown) => void,
  notify: (text: string) => void,
  warn: (text: string, hint?: string) => void,
): ProjectCommands {
  const client = useClient();
  const native = info?.host.nativeDialogs ?? false;

  const typedPaths = useCallback(
    (request: PathRequest) => ask<string[] | null>((done) => <PathDialog request={request} onDone={done} />),
    [ask],
  );

  return useMemo(() => {
    const pickSavePath = async (): Promise<string | null> => {
      const suggested = project?.name ?? 'Untitled';
      if (native) return client.call('dialog.saveProject', { suggestedName: suggested });
      const r = await typedPaths({ title: 'Save project as', label: 'Project file path', initial: project?.path ?? '', confirmLabel: 'Save' });
      return r?.[0] ?? null;
    };
    const saveAs = async (): Promise<boolean> => {
      if (!project) return false;
      const path = await pickSavePath();
      if (!path) return false;
      await client.call('project.saveAs', { path });
      notify(`Saved ${path}`);
      return true;
    };
    const save = async (): Promise<boolean> => {
      if (!project) return false;
      if (!project.path) return saveAs();
      await client.call('project.save', {});
      notify('Saved');
      return true;
    };
    /** True when it is fine to replace the open project (saved, or the user chose). */
    const settleUnsaved = async (action: string): Promise<{ go: boolean; discard: boolean }> => {
      if (!project?.dirty) return { go: true, discard: false };
      const choice = await ask<UnsavedChoice>((done) => <UnsavedDialog projectName={project.name} action={action} onDone={done} />);
      if (choice === 'cancel') return { go: false, discard: false };
      if (choice === 'discard') return { go: true, discard: true };
      return { go: await save(), discard: false };
    };
    const guard =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R | undefined> => {
        try {
          return await fn(...args);
        } catch (e) {
          reportError(e);
          return undefined;
        }
      };
    return {
      newProject: guard(async () => {
        const { go, discard } = await settleUnsaved('starting a new project');
        if (go) await client.call('project.new', { discardChanges: discard });
      }),
      openProject: guard(async () => {
        const path = native
          ? await client.call('dialog.openProject', {})
          : ((await typedPaths({ title: 'Open project', label: 'Project file path', confirmLabel: 'Open' }))?.[0] ?? null);
        if (!path) return;
        const { go, discard } = await settleUnsaved('opening another project');
        if (go) await client.call('project.open', { path, discardChanges: discard });
      }),
      save: async () => (await guard(save)()) ?? false,
      saveAs: async () => (await guard(saveAs)()) ?? false,
      undo: guard(async () => {
        if (project?.history.canUndo) await client.call('project.undo', {});
      }),
      redo: guard(async () => {
        if (project?.history.canRedo) await client.call('project.redo', {});
      }),
      importMedia: guard(async (given?: string[]) => {
        if (!project) return;
        const seqFps = project.sequences[0]?.fps ?? { num: 24, den: 1 };
        const choice: ImportChoice | null = given
          ? { paths: given, sequenceFps: seqFps }
          : native
            ? { paths: await client.call('dialog.openMedia', {}), sequenceFps: seqFps }
            : await ask<ImportChoice | null>((done) => <ImportDialog defaultFps={{ num: 25, den: 1 }} onDone={done} />);
        if (!choice?.paths.length) return;
        const r = await client.call('media.import', choice);
        for (const f of r.failed) reportError(new ApiError({ ...f.error, message: `${f.path}: ${f.error.message}` }, 'media.import'));
        if (r.imported.length) notify(`Imported ${r.imported.length} file${r.imported.length === 1 ? '' : 's'}`);
        if (r.warnings.length) warn(importWarnings(r.warnings));
      }),
    };
  }, [client, project, native, ask, typedPaths, reportError, notify, warn]);
}

/** What an import changed or assumed, file by file (a gap closed up, a guessed rate), as one notice. */
export function importWarnings(warnings: readonly { path: string; warning: string }[]): string {
  return warnings.map((w) => `${shortenPath(w.path)}: ${w.warning}`).join('\n');
}

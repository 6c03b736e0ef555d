import { dialog, type BrowserWindow } from 'electron';

export interface CloseGuardDeps {
  /** Name and whether there are unsaved changes, or null without a project. */
  unsaved: () => { name: string; path: string | null } | null;
  runningJobs: () => number;
  save: () => Promise<void>;
  saveAs: (path: string) => Promise<void>;
  pickSavePath: (suggestedName: string) => Promise<string | null>;
}

/**
 * Stops the window closing over unsaved work or running jobs until the user decides, the way
 * every editor does. Runs in main (not the renderer) so it also covers closing from the OS.
 */
export function guardClose(win: BrowserWindow, deps: CloseGuardDeps): void {
  let decided = false;
  win.on('close', (event) => {
    if (decided) return;
    const unsaved = deps.unsaved();
    const jobs = deps.runningJobs();
    if (!unsaved && jobs === 0) return;
    event.preventDefault();
    void decide(win, deps, unsaved, jobs).then((close) => {
      if (!close) return;
      decided = true;
      win.close();
    });
  });
}

async function decide(
  win: BrowserWindow,
  deps: CloseGuardDeps,
  unsaved: { name: string; path: string | null } | null,
  jobs: number,
): Promise<boolean> {
  if (jobs > 0) {
    const r = await dialog.showMessageBox(win, {
      type: 'warning',
      message: `${jobs} job${jobs === 1 ? ' is' : 's are'} still running.`,
      detail: 'Quitting cancels them; their partial output is removed.',
      buttons: ['Quit anyway', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
    });
    if (r.response !== 0) return false;
  }
  if (!unsaved) return true;
  const r = await dialog.showMessageBox(win, {
    type: 'question',
    message: `Save changes to “${unsaved.name}” before closing?`,
    detail: 'Your changes will be lost if you don’t save them.',
    buttons: ['Save', 'Don’t Save', 'Cancel'],
    defaultId: 0,
    cancelId: 2,
  });
  if (r.response === 2) return false;
  if (r.response === 1) return true;
  try {
    if (unsaved.path) await deps.save();
    else {
      const path = await deps.pickSavePath(unsaved.name);
      if (!path) return false;
      await deps.saveAs(path);
    }
    return true;
  } catch (e) {
    await dialog.showMessageBox(win, {
      type: 'error',
      message: 'The project could not be saved.',
      detail: e instanceof Error ? e.message : String(e),
    });
    return false;
  }
}

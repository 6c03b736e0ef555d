import { dialog, type BrowserWindow } from 'electron';
import type { HostHandlers } from '../api/contract';

/** Extensions offered in the import dialog: what editors hand over (ffmpeg reads them all). */
const MEDIA_EXTENSIONS = ['mov', 'mp4', 'm4v', 'mxf', 'mkv', 'webm', 'avi', 'mts', 'm2ts', 'braw', 'r3d'];
export const PROJECT_EXTENSION = 'lacuna';
/** What File ▸ Import Timeline… reads (engine/interchange's import formats). */
const TIMELINE_EXTENSIONS = ['otio', 'otioz', 'xml', 'fcpxml', 'edl'];

/**
 * The host-only calls, answered with native dialogs parented to the main window (so they are
 * modal to it). Cancelling is not an error: it answers empty / null.
 */
export function createHostHandlers(window: () => BrowserWindow | null): HostHandlers {
  const parented = <T>(show: (w: BrowserWindow) => Promise<T>, unparented: () => Promise<T>) => {
    const w = window();
    return w ? show(w) : unparented();
  };
  return {
    'dialog.openMedia': async () => {
      const options: Electron.OpenDialogOptions = {
        title: 'Import media',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Video', extensions: MEDIA_EXTENSIONS },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = await parented((w) => dialog.showOpenDialog(w, options), () => dialog.showOpenDialog(options));
      return r.canceled ? [] : r.filePaths;
    },
    'dialog.openProject': async () => {
      const options: Electron.OpenDialogOptions = {
        title: 'Open project',
        properties: ['openFile'],
        filters: [{ name: 'Lacuna project', extensions: [PROJECT_EXTENSION] }],
      };
      const r = await parented((w) => dialog.showOpenDialog(w, options), () => dialog.showOpenDialog(options));
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    'dialog.saveProject': async ({ suggestedName }) => {
      const options: Electron.SaveDialogOptions = {
        title: 'Save project',
        defaultPath: `${suggestedName}.${PROJECT_EXTENSION}`,
        filters: [{ name: 'Lacuna project', extensions: [PROJECT_EXTENSION] }],
      };
      const r = await parented((w) => dialog.showSaveDialog(w, options), () => dialog.showSaveDialog(options));
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    'dialog.saveTimeline': async ({ suggestedName, extension }) => {
      const options: Electron.SaveDialogOptions = {
        title: 'Export timeline',
        defaultPath: `${suggestedName}.${extension}`,
        filters: [{ name: extension.toUpperCase(), extensions: [extension] }],
      };
      const r = await parented((w) => dialog.showSaveDialog(w, options), () => dialog.showSaveDialog(options));
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    'dialog.openTimeline': async () => {
      const options: Electron.OpenDialogOptions = {
        title: 'Import timeline',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Timelines', extensions: TIMELINE_EXTENSIONS },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const r = await parented((w) => dialog.showOpenDialog(w, options), () => dialog.showOpenDialog(options));
      return r.canceled ? [] : r.filePaths;
    },
    'dialog.openFolder': async ({ title }) => {
      const options: Electron.OpenDialogOptions = { title, properties: ['openDirectory'] };
      const r = await parented((w) => dialog.showOpenDialog(w, options), () => dialog.showOpenDialog(options));
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
  };
}

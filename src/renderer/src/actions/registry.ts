import { appSettings } from './appSettings';
import { toggleAB, toggleMatte, toggleSideBySide, toggleWipe } from './compare';
import { deleteClips, rippleDelete } from './deleteClips';
import { goEnd, goStart, nextEdit, prevEdit } from './editPoints';
import { clearMarks, markIn, markOut } from './marks';
import { playPause } from './playPause';
import { exportTimeline, importTimeline } from './interchange';
import { importMedia, newProject, openProject, redo, save, saveAs, undo } from './project';
import { removeByDescription, transcode } from './removal';
import { deselectAll, selectAll } from './selectAll';
import { sequenceSettings } from './sequenceSettings';
import { shuttleForward } from './shuttleForward';
import { shuttleReverse } from './shuttleReverse';
import { split } from './split';
import { stepBack, stepBack10, stepForward, stepForward10 } from './stepFrames';
import { stop } from './stop';
import { addAudioTrack, addVideoTrack } from './tracks';
import type { Action } from './types';
import { zoomFit, zoomIn, zoomOut } from './zoom';
import type { AppState } from '../store/appStore';

/** Every user action, in the order menus list them. Keys are tried in this order too (first match wins). */
export const actions: readonly Action[] = [
  newProject, openProject, save, saveAs, importMedia, importTimeline, exportTimeline, undo, redo,
  removeByDescription, transcode,
  split, deleteClips, rippleDelete, selectAll, deselectAll, addVideoTrack, addAudioTrack, sequenceSettings,
  playPause, shuttleReverse, stop, shuttleForward,
  stepBack10, stepForward10, stepBack, stepForward, prevEdit, nextEdit, goStart, goEnd,
  markIn, markOut, clearMarks,
  zoomIn, zoomOut, zoomFit,
  toggleAB, toggleWipe, toggleSideBySide, toggleMatte,
  appSettings,
];

export function actionByName(name: string): Action {
  const a = actions.find((x) => x.name === name);
  if (!a) throw new Error(`no action "${name}"`);
  return a;
}

export function isEnabled(action: Action, s: AppState): boolean {
  return action.enabled ? action.enabled(s) : true;
}

/**
 * The action a key press means, or null. In Electron the application menu owns the keys of
 * actions with a menu item (its accelerators would run them twice).
 */
export function actionForKey(e: KeyboardEvent, s: AppState, host: 'electron' | 'browser'): Action | null {
  for (const a of actions) {
    if (!a.keyTest) continue;
    if (host === 'electron' && a.menuCommand) continue;
    if (a.keyTest(e, s) && isEnabled(a, s)) return a;
  }
  return null;
}

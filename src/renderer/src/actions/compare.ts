import type { AppState, CompareMode } from '../store/appStore';
import type { Action } from './types';
import { plain } from './types';

/* Judging a removal in the program viewer: original (A) against the active take (B). */
const setMode = (s: AppState, mode: CompareMode): Partial<AppState> => ({ compare: { ...s.compare, mode: s.compare.mode === mode ? 'off' : mode } });

export const toggleAB: Action = {
  name: 'toggleAB',
  label: (s) => (s.compare.showOriginal ? 'Show Take (B)' : 'Show Original (A)'),
  shortcut: '\\',
  keyTest: (e) => plain(e, '\\'),
  perform: (s) => ({ compare: { ...s.compare, mode: s.compare.mode === 'off' ? 'ab' : s.compare.mode, showOriginal: !s.compare.showOriginal } }),
};
export const toggleWipe: Action = { name: 'toggleWipe', label: 'Split Wipe', shortcut: 'W', keyTest: (e) => plain(e, 'w'), perform: (s) => setMode(s, 'wipe') };
export const toggleSideBySide: Action = { name: 'toggleSideBySide', label: 'Side by Side', shortcut: 'Shift+W', keyTest: (e) => plain(e, 'w', true), perform: (s) => setMode(s, 'side') };
export const toggleMatte: Action = {
  name: 'toggleMatte',
  label: 'Matte Overlay',
  shortcut: 'M',
  keyTest: (e) => plain(e, 'm'),
  perform: (s) => ({ compare: { ...s.compare, matte: !s.compare.matte } }),
};

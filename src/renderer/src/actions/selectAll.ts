import { allClips, currentSequence } from '../store/selectors';
import type { Action } from './types';
import { mod } from './types';

export const selectAll: Action = {
  name: 'selectAll',
  label: 'Select All Clips',
  shortcut: 'Ctrl+A',
  keyTest: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'a',
  perform: (s) => ({ selectedClipIds: allClips(currentSequence(s)).map((c) => c.clip.id), selectedMediaId: null }),
};
export const deselectAll: Action = { name: 'deselectAll', label: 'Deselect', shortcut: 'Esc', keyTest: (e) => e.key === 'Escape', perform: () => ({ selectedClipIds: [], contextMenu: null }) };

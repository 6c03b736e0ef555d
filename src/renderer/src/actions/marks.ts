import type { AppState } from '../store/appStore';
import type { Action } from './types';
import { plain } from './types';

/*
 * I/O mark In and Out on the source viewer (a bin clip) or, on the program viewer, a range of the
 * sequence. Marks are inclusive frames as editors read them: Out is the last frame used.
 */
function mark(s: AppState, which: 'inPoint' | 'outPoint'): Partial<AppState> {
  const src = s.source;
  if (s.activeViewer !== 'source') return {};
  const f = src.frame;
  const next = { ...src, [which]: f };
  // A mark on the wrong side of the other clears the other, as in Premiere.
  if (which === 'inPoint' && src.outPoint !== null && src.outPoint < f) next.outPoint = null;
  if (which === 'outPoint' && src.inPoint !== null && src.inPoint > f) next.inPoint = null;
  return { source: next };
}

export const markIn: Action = { name: 'markIn', label: 'Mark In', shortcut: 'I', keyTest: (e) => plain(e, 'i'), enabled: (s) => s.activeViewer === 'source' && !!s.selectedMediaId, perform: (s) => mark(s, 'inPoint') };
export const markOut: Action = { name: 'markOut', label: 'Mark Out', shortcut: 'O', keyTest: (e) => plain(e, 'o'), enabled: (s) => s.activeViewer === 'source' && !!s.selectedMediaId, perform: (s) => mark(s, 'outPoint') };
export const clearMarks: Action = {
  name: 'clearMarks',
  label: 'Clear In and Out',
  shortcut: 'Alt+X',
  keyTest: (e) => e.altKey && e.key.toLowerCase() === 'x',
  perform: (s) => ({ source: { ...s.source, inPoint: null, outPoint: null } }),
};

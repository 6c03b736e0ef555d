import type { Action } from './types';
import { plain } from './types';
import { seekTo, toEditPoint, viewerLength } from './transportState';

export const prevEdit: Action = { name: 'prevEdit', label: 'Previous Edit', shortcut: '↑', keyTest: (e) => plain(e, 'ArrowUp'), perform: (s) => toEditPoint(s, -1) };
export const nextEdit: Action = { name: 'nextEdit', label: 'Next Edit', shortcut: '↓', keyTest: (e) => plain(e, 'ArrowDown'), perform: (s) => toEditPoint(s, 1) };
export const goStart: Action = { name: 'goStart', label: 'Go to Start', shortcut: 'Home', keyTest: (e) => plain(e, 'Home'), perform: (s) => seekTo(s, 0) };
export const goEnd: Action = {
  name: 'goEnd',
  label: 'Go to End',
  shortcut: 'End',
  keyTest: (e) => plain(e, 'End'),
  perform: (s) => seekTo(s, s.activeViewer === 'program' ? viewerLength(s) : viewerLength(s) - 1),
};

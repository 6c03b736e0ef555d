import type { Action } from './types';
import { plain } from './types';
import { stepBy } from './transportState';

/* ←/→ one frame, Shift+←/→ ten: the keys every NLE uses for frame-accurate stepping. */
export const stepBack: Action = { name: 'stepBack', label: 'Previous Frame', shortcut: '←', keyTest: (e) => plain(e, 'ArrowLeft'), perform: (s) => stepBy(s, -1) };
export const stepForward: Action = { name: 'stepForward', label: 'Next Frame', shortcut: '→', keyTest: (e) => plain(e, 'ArrowRight'), perform: (s) => stepBy(s, 1) };
export const stepBack10: Action = { name: 'stepBack10', label: 'Back 10 Frames', shortcut: 'Shift+←', keyTest: (e) => plain(e, 'ArrowLeft', true), perform: (s) => stepBy(s, -10) };
export const stepForward10: Action = { name: 'stepForward10', label: 'Forward 10 Frames', shortcut: 'Shift+→', keyTest: (e) => plain(e, 'ArrowRight', true), perform: (s) => stepBy(s, 10) };

import type { Action } from './types';
import { plain } from './types';
import { shuttle } from './transportState';

export const shuttleForward: Action = { name: 'shuttleForward', label: 'Play Forward', shortcut: 'L', keyTest: (e) => plain(e, 'l'), perform: (s) => shuttle(s, 1) };

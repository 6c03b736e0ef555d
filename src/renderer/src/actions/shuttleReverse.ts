import type { Action } from './types';
import { plain } from './types';
import { shuttle } from './transportState';

export const shuttleReverse: Action = { name: 'shuttleReverse', label: 'Play Reverse', shortcut: 'J', keyTest: (e) => plain(e, 'j'), perform: (s) => shuttle(s, -1) };

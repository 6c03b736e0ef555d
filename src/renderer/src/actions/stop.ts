import type { Action } from './types';
import { plain } from './types';

export const stop: Action = {
  name: 'stop',
  label: 'Stop',
  shortcut: 'K',
  keyTest: (e) => plain(e, 'k'),
  perform: (s) => ({ [s.activeViewer]: { ...s[s.activeViewer], rate: 0 } }),
};

import type { Action } from './types';
import { plain } from './types';
import { viewerLength } from './transportState';

export const playPause: Action = {
  name: 'playPause',
  label: (s) => (s[s.activeViewer].rate ? 'Pause' : 'Play'),
  shortcut: 'Space',
  keyTest: (e) => plain(e, ' '),
  perform: (s) => {
    const v = s.activeViewer;
    const t = s[v];
    if (t.rate) return { [v]: { ...t, rate: 0 } };
    // Play from the start when parked at the end, as every NLE does.
    const atEnd = t.frame >= viewerLength(s) - 1;
    return { [v]: { ...t, rate: 1, frame: atEnd ? 0 : t.frame } };
  },
};

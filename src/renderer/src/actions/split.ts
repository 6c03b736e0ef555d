import { currentSequence } from '../store/selectors';
import { engine } from './edit';
import type { Action } from './types';
import { mod, plain } from './types';

/** S or Ctrl/Cmd+B: cut at the playhead, the selected clips only when some are selected, else every clip under it. */
export const split: Action = {
  name: 'split',
  label: 'Split at Playhead',
  shortcut: 'S',
  keyTest: (e) => plain(e, 's') || (mod(e) && !e.shiftKey && e.key.toLowerCase() === 'b'),
  enabled: (s) => !!currentSequence(s),
  clipMenu: 'edit',
  perform: async (s, ctx) => {
    const seq = currentSequence(s)!;
    await engine(ctx, 'timeline.split', { sequenceId: seq.id, frame: s.program.frame, clipIds: s.selectedClipIds.length ? s.selectedClipIds : undefined });
  },
};

import { engine } from './edit';
import type { Action } from './types';
import { plain } from './types';

const hasSelection = (s: { selectedClipIds: string[] }) => s.selectedClipIds.length > 0;

/** Delete/Backspace lifts the selected clips (leaves a gap); Shift+Delete ripples the later clips up. */
export const deleteClips: Action = {
  name: 'deleteClips',
  label: 'Delete',
  shortcut: 'Del',
  keyTest: (e) => plain(e, 'Delete') || plain(e, 'Backspace'),
  enabled: hasSelection,
  clipMenu: 'edit',
  perform: async (s, ctx) => {
    await engine(ctx, 'timeline.delete', { clipIds: s.selectedClipIds, ripple: false });
    return { selectedClipIds: [] };
  },
};

export const rippleDelete: Action = {
  name: 'rippleDelete',
  label: 'Ripple Delete',
  shortcut: 'Shift+Del',
  keyTest: (e) => plain(e, 'Delete', true) || plain(e, 'Backspace', true),
  enabled: hasSelection,
  clipMenu: 'edit',
  perform: async (s, ctx) => {
    await engine(ctx, 'timeline.delete', { clipIds: s.selectedClipIds, ripple: true });
    return { selectedClipIds: [] };
  },
};

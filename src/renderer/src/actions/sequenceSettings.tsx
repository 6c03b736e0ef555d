import { SequenceSettingsDialog } from '../settings/SequenceSettingsDialog';
import { currentSequence } from '../store/selectors';
import type { Action } from './types';

export const sequenceSettings: Action = {
  name: 'sequenceSettings',
  label: 'Sequence Settings…',
  enabled: (s) => !!currentSequence(s),
  perform: async (s, ctx) => {
    const seq = currentSequence(s)!;
    await ctx.ask<void>((done) => <SequenceSettingsDialog sequence={seq} onClose={done} />);
  },
};

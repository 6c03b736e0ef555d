import { currentSequence } from '../store/selectors';
import { engine } from './edit';
import type { Action } from './types';

export const addVideoTrack: Action = {
  name: 'addVideoTrack',
  label: 'Add Video Track',
  enabled: (s) => !!currentSequence(s),
  perform: (s, ctx) => engine(ctx, 'track.add', { sequenceId: currentSequence(s)!.id, kind: 'video' }),
};
export const addAudioTrack: Action = {
  name: 'addAudioTrack',
  label: 'Add Audio Track',
  enabled: (s) => !!currentSequence(s),
  perform: (s, ctx) => engine(ctx, 'track.add', { sequenceId: currentSequence(s)!.id, kind: 'audio' }),
};

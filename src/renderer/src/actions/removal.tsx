import { RemoveDialog } from '../removal/RemoveDialog';
import { TranscodeDialog } from '../jobs/TranscodeDialog';
import { primaryClip } from '../store/selectors';
import type { Action } from './types';

/* The clip's work: removal by description (what the product is for) and utility renders. */

export const removeByDescription: Action = {
  name: 'removeByDescription',
  label: 'Remove by description…',
  shortcut: 'Ctrl+R',
  keyTest: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'r',
  clipMenu: 'removal',
  enabled: (s) => !!primaryClip(s),
  perform: async (s, ctx) => {
    const clip = primaryClip(s)!;
    await ctx.ask<void>((done) => <RemoveDialog clip={clip} onClose={done} />);
  },
};

export const transcode: Action = {
  name: 'transcode',
  label: 'Transcode…',
  clipMenu: 'removal',
  enabled: (s) => !!primaryClip(s),
  perform: async (s, ctx) => {
    const clip = primaryClip(s)!;
    await ctx.ask<void>((done) => (
      <TranscodeDialog
        clip={clip}
        onClose={done}
        onSubmit={async (codec) => {
          try {
            await ctx.client.call('jobs.submit', { kind: 'transcode', clipId: clip.id, codec });
            return true;
          } catch (e) {
            ctx.reportError(e);
            return false;
          }
        }}
      />
    ));
  },
};

import { TranscodeDialog } from '../jobs/TranscodeDialog';
import { findClip, primaryClip } from '../store/selectors';
import type { Action } from './types';
import { newRemovalDraft } from '../removal/removalDraft';

/* The clip's work: removal by description (what the product is for) and utility renders. */

export const removeByDescription: Action = {
  name: 'removeByDescription',
  label: 'Remove by description…',
  shortcut: 'Ctrl+R',
  keyTest: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'r',
  clipMenu: 'removal',
  enabled: (s) => !!primaryClip(s),
  // Opens the Remove panel beside the viewer (not a modal: the Find preview is drawn over the picture).
  perform: (s) => {
    const clip = primaryClip(s)!;
    const placed = findClip(s, clip.id);
    const inside = s.program.frame >= clip.position && s.program.frame < clip.position + clip.duration;
    return {
      removal: newRemovalDraft(s, clip),
      activeViewer: 'program',
      ...(!inside && placed && { program: { frame: clip.position, rate: 0 } }),
      compare: { ...s.compare, mode: 'off', showOriginal: false },
    };
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

import { ExportTimelineDialog } from '../interchange/ExportTimelineDialog';
import { ImportTimelineDialog } from '../interchange/ImportTimelineDialog';
import type { CallOutput } from '../../../api/contract';
import { currentSequence } from '../store/selectors';
import type { Action } from './types';
import { mod } from './types';

/* File ▸ Export Timeline… / Import Timeline…: the project's sequences to and from an NLE. */

export const exportTimeline: Action = {
  name: 'exportTimeline',
  label: 'Export Timeline…',
  shortcut: 'Ctrl+E',
  menuCommand: 'timeline.export',
  keyTest: (e) => mod(e) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'e',
  enabled: (s) => !!s.project?.sequences.length,
  perform: async (s, ctx) => {
    const project = s.project!;
    await ctx.ask<void>((done) => (
      <ExportTimelineDialog project={project} sequenceId={currentSequence(s)?.id ?? null} nativeDialogs={!!s.info?.host.nativeDialogs} onClose={done} />
    ));
  },
};

export const importTimeline: Action = {
  name: 'importTimeline',
  label: 'Import Timeline…',
  menuCommand: 'timeline.import',
  enabled: (s) => !!s.project,
  perform: async (s, ctx) => {
    const imported = await ctx.ask<CallOutput<'timeline.import'> | null>((done) => (
      <ImportTimelineDialog nativeDialogs={!!s.info?.host.nativeDialogs} defaultFps={currentSequence(s)?.fps ?? { num: 25, den: 1 }} onClose={done} />
    ));
    // Show the new sequence in the timeline.
    if (imported) return { sequenceId: imported.sequence.id, selectedClipIds: [], program: { frame: 0, rate: 0 } };
  },
};

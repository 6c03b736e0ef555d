import { actionByName } from '../actions/registry';
import { runAction } from '../actions/run';
import type { ActionContext } from '../actions/types';
import { SequenceSettingsDialog } from '../settings/SequenceSettingsDialog';
import { useAppStore } from '../store/appStore';
import { currentSequence } from '../store/selectors';

/**
 * "Add to sequence" from the bin. The first clip on an empty sequence of another rate or size
 * asks first whether the sequence should take the clip's settings (as Premiere and Resolve do);
 * either way the clip then goes on after the last clip (or where it was dropped: `at`), with its
 * sound linked.
 */
export async function placeFromBin(ctx: ActionContext, mediaId: string, at: { position: number; trackId: string; soundTrackId?: string } | null = null): Promise<void> {
  const s = useAppStore.getState();
  const seq = currentSequence(s);
  const media = s.project?.media.find((m) => m.id === mediaId);
  const v = media?.info.video;
  if (seq && media && v) {
    const empty = seq.tracks.every((t) => t.clips.length === 0);
    const differs = v.fps.num * seq.fps.den !== seq.fps.num * v.fps.den || v.displayWidth !== seq.width || v.displayHeight !== seq.height;
    if (empty && differs) {
      await ctx.ask<void>((done) => (
        <SequenceSettingsDialog sequence={seq} onClose={done} suggest={{ fps: v.fps, width: v.displayWidth, height: v.displayHeight, from: media.name }} />
      ));
    }
  }
  const wasEmpty = !!seq && seq.tracks.every((t) => t.clips.length === 0);
  try {
    const project = await ctx.client.call('timeline.place', { mediaId, sequenceId: seq?.id, ...at });
    // The reply is the project as the event will bring it; take it now so the zoom sees the clip.
    useAppStore.setState({ project });
    // The first clip fills the timeline's width, as an editor would zoom to see it.
    if (wasEmpty) await runAction(actionByName('zoomFit'), ctx);
  } catch (e) {
    ctx.reportError(e);
  }
}

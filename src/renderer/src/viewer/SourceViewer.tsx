import type { ActionContext } from '../actions/types';
import { viewerLength } from '../actions/transportState';
import { useAppStore } from '../store/appStore';
import { selectedMedia } from '../store/selectors';
import { framesToTimecode } from '../timeline/timecode';
import { FrameVideo } from './FrameVideo';
import { TransportBar } from './TransportBar';
import { usePlaybackClock } from './usePlaybackClock';

/**
 * The bin clip selected in the media pool, with In/Out marks (I/O) and "Place on timeline",
 * which puts the marked range (or all of it) after the last clip.
 */
export function SourceViewer({ ctx, mediaBase }: { ctx: ActionContext; mediaBase: string }) {
  const media = useAppStore(selectedMedia);
  const src = useAppStore((s) => s.source);
  const active = useAppStore((s) => s.activeViewer === 'source');
  const length = useAppStore((s) => viewerLength(s, 'source'));
  const fps = media?.info.video?.fps ?? { num: 24, den: 1 };
  usePlaybackClock('source', fps.num / fps.den, length);
  const place = async () => {
    if (!media) return;
    const sourceIn = src.inPoint ?? undefined;
    const sourceOut = src.outPoint !== null ? src.outPoint + 1 : undefined;
    try {
      await ctx.client.call('timeline.place', { mediaId: media.id, sequenceId: useAppStore.getState().sequenceId ?? undefined, sourceIn, sourceOut });
    } catch (e) {
      ctx.reportError(e);
    }
  };
  const marked = src.inPoint !== null || src.outPoint !== null;
  const duration = (src.outPoint ?? length - 1) - (src.inPoint ?? 0) + 1;
  return (
    <section className={`panel viewer source${active ? ' active-viewer' : ''}`} aria-label="Source viewer" onPointerDown={() => useAppStore.setState({ activeViewer: 'source' })}>
      <header className="panel-header">
        <h2>Source</h2>
        <span className="muted" data-testid="source-title">{media ? media.name : ''}</span>
      </header>
      <div className="viewer-screen" data-testid="source-screen">
        {!media && <p className="empty">Select a clip in the media pool to view it here.</p>}
        {media && media.info.video && (
          <div className="picture-stack">
            <FrameVideo source={{ path: media.path, playback: media.playback, online: media.online, fps }} frame={src.frame} rate={src.rate} muted={false} mediaBase={mediaBase} className="layer" testId="source-video" />
          </div>
        )}
        {media && !media.info.video && <p className="empty">Sound only</p>}
      </div>
      <div className="marks-row">
        <span className="timecode" data-testid="source-in">In {src.inPoint !== null ? framesToTimecode(src.inPoint, fps) : '—'}</span>
        <span className="timecode" data-testid="source-out">Out {src.outPoint !== null ? framesToTimecode(src.outPoint, fps) : '—'}</span>
        <span className="muted">{media ? `${marked ? duration : length} fr` : ''}</span>
        <span className="spacer" />
        <button className="small" disabled={!media} onClick={() => void place()} title="Put the marked range (or the whole clip) after the last clip">
          Place on timeline
        </button>
      </div>
      <TransportBar viewer="source" length={length} ctx={ctx} inPoint={src.inPoint} outPoint={src.outPoint} timecode={framesToTimecode(src.frame, fps)} />
    </section>
  );
}

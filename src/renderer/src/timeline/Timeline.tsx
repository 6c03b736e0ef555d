import { useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { ClipDto, SequenceDto, TrackDto } from '../../../api/schemas/project';
import { actionByName } from '../actions/registry';
import { runAction } from '../actions/run';
import type { ActionContext } from '../actions/types';
import { useClient } from '../clientContext';
import { useAppStore } from '../store/appStore';
import { currentSequence, editPoints, sequenceLength } from '../store/selectors';
import { ClipThumbnails } from './ClipThumbnails';
import { ClipWaveform } from './ClipWaveform';
import { placeFromBin } from '../bin/placeFromBin';
import { dropPlacement, dropTracks, mediaLengthInSequence, type DropPlacement } from './dropMath';
import { clampZoom, frameToX, scrollForZoom, snapFrame, snapMove, xToFrame, zoomToFit } from './geometry';
import { Ruler } from './Ruler';
import { conformLabel, sequenceTimecode } from './timecode';

const HEADER_W = 72;
const ROW_H: Record<TrackDto['kind'], number> = { video: 64, audio: 48 };
/** Pixels at each clip edge that grab a trim instead of a move. */
const EDGE_PX = 7;

type Drag =
  | { kind: 'scrub' }
  | { kind: 'move'; startX: number; startY: number; clipIds: Set<string>; start: number; end: number; delta: number; trackDelta: number; trackKind: TrackDto['kind']; moved: boolean }
  | { kind: 'trim'; startX: number; clipIds: Set<string>; edge: 'in' | 'out'; delta: number; edgeFrame: number };

/** Tracks top to bottom as NLEs stack them: V2 above V1, then A1, A2 below. */
function displayTracks(sequence: SequenceDto): TrackDto[] {
  const v = sequence.tracks.filter((t) => t.kind === 'video').reverse();
  return [...v, ...sequence.tracks.filter((t) => t.kind === 'audio')];
}

/**
 * The scaled timeline: ruler in timecode, tracks with thumbnails and waveforms, the playhead.
 * Drag a clip to move it (snapping to cuts and the playhead), drag its edges to trim (the frame
 * count shows while trimming), click the ruler to park the playhead, Ctrl/Cmd+wheel to zoom.
 * Every edit is one engine call; what the engine publishes is what is drawn.
 */
export function Timeline({ ctx }: { ctx: ActionContext }) {
  const client = useClient();
  const project = useAppStore((s) => s.project);
  const sequence = useAppStore(currentSequence);
  const zoom = useAppStore((s) => s.zoom);
  const scrollX = useAppStore((s) => s.scrollX);
  const frame = useAppStore((s) => s.program.frame);
  const selected = useAppStore((s) => s.selectedClipIds);
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [drag, setDrag] = useState<Drag | null>(null);
  const binDrag = useAppStore((s) => s.binDrag);
  /** A bin item dragged over a track: where it would land (the ghost), or why it cannot. */
  const [ghost, setGhost] = useState<(DropPlacement & { mediaId: string; trackId: string; soundTrackId: string | null }) | { refused: string; trackId: string } | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    setWidth(el.clientWidth);
    return () => ro.disconnect();
  }, [sequence?.id]);
  useLayoutEffect(() => {
    if (scroller.current && Math.abs(scroller.current.scrollLeft - scrollX) > 1) scroller.current.scrollLeft = scrollX;
  }, [scrollX, zoom]);
  // A project opened with clips on it shows its whole sequence, as NLEs open a timeline fitted.
  useLayoutEffect(() => {
    const el = scroller.current;
    const length = sequence ? sequenceLength(sequence) : 0;
    if (el && length > 0) useAppStore.setState({ zoom: zoomToFit(length, el.clientWidth), scrollX: 0 });
    // Only when another project or sequence comes up, not on each edit.
  }, [project?.id, sequence?.id]);
  // Ctrl/Cmd+wheel zooms the timeline around the pointer. A native listener, not onWheel: React
  // listens to wheel passively, so its preventDefault cannot stop the browser zooming the page.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      const r = el.getBoundingClientRect();
      const from = useAppStore.getState().zoom;
      const to = clampZoom(from * Math.exp(-e.deltaY * 0.0015));
      useAppStore.setState({ zoom: to, scrollX: scrollForZoom(el.scrollLeft, e.clientX - r.left, from, to) });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [sequence?.id]);

  if (!project || !sequence) return <section className="panel timeline" aria-label="Timeline"><p className="empty">This project has no sequence.</p></section>;
  const tracks = displayTracks(sequence);
  const length = sequenceLength(sequence);
  const rate = sequence.fps.num / sequence.fps.den;
  const contentWidth = Math.max(width, frameToX(length + rate * 10, zoom));
  const mediaById = new Map(project.media.map((m) => [m.id, m]));
  const set = useAppStore.setState;
  const frameAt = (clientX: number) => {
    const r = scroller.current!.getBoundingClientRect();
    return xToFrame(clientX - r.left + scroller.current!.scrollLeft, zoom);
  };

  const startScrub = (e: ReactPointerEvent) => {
    if (e.button !== 0) return;
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    set({ program: { frame: frameAt(e.clientX), rate: 0 }, activeViewer: 'program', ...(e.target === e.currentTarget && { selectedClipIds: [] }) });
    setDrag({ kind: 'scrub' });
  };

  const select = (clip: ClipDto, e: ReactPointerEvent | React.MouseEvent): Set<string> => {
    const ids = [clip.id, ...clip.linkedClipIds];
    let next: string[];
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      next = selected.includes(clip.id) ? selected.filter((x) => !ids.includes(x)) : [...selected, ...ids];
    } else next = selected.includes(clip.id) ? selected : ids;
    set({ selectedClipIds: next, selectedMediaId: null, activeViewer: 'program' });
    return new Set(next);
  };

  const onClipDown = (clip: ClipDto, track: TrackDto, e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    e.currentTarget.setPointerCapture(e.pointerId);
    const edge = x < EDGE_PX ? 'in' : x > r.width - EDGE_PX ? 'out' : null;
    if (edge) {
      set({ selectedClipIds: [clip.id, ...clip.linkedClipIds], selectedMediaId: null });
      setDrag({ kind: 'trim', startX: e.clientX, clipIds: new Set([clip.id, ...clip.linkedClipIds]), edge, delta: 0, edgeFrame: edge === 'in' ? clip.position : clip.position + clip.duration });
      return;
    }
    const ids = select(clip, e);
    const moving = sequence.tracks.flatMap((t) => t.clips).filter((c) => ids.has(c.id));
    setDrag({
      kind: 'move',
      startX: e.clientX,
      startY: e.clientY,
      clipIds: ids,
      start: Math.min(...moving.map((c) => c.position)),
      end: Math.max(...moving.map((c) => c.position + c.duration)),
      delta: 0,
      trackDelta: 0,
      trackKind: track.kind,
      moved: false,
    });
  };

  const onMove = (e: ReactPointerEvent) => {
    if (!drag) return;
    if (drag.kind === 'scrub') {
      set({ program: { frame: Math.min(frameAt(e.clientX), length), rate: 0 } });
      return;
    }
    const dxFrames = Math.round((e.clientX - drag.startX) / zoom);
    if (drag.kind === 'move') {
      const points = [...editPoints(sequence, drag.clipIds), frame];
      const snapped = snapMove(dxFrames, drag.start, drag.end, points, zoom);
      const delta = Math.max(-drag.start, snapped.delta);
      const rows = Math.round((e.clientY - drag.startY) / ROW_H[drag.trackKind]);
      const same = sequence.tracks.filter((t) => t.kind === drag.trackKind);
      const trackDelta = drag.trackKind === 'video' ? -rows : rows;
      const first = sequence.tracks.find((t) => t.clips.some((c) => drag.clipIds.has(c.id) && t.kind === drag.trackKind));
      const at = first ? same.indexOf(first) : 0;
      const clampedTrack = Math.max(-at, Math.min(same.length - 1 - at, trackDelta));
      setDrag({ ...drag, delta, trackDelta: clampedTrack, moved: drag.moved || Math.abs(e.clientX - drag.startX) > 3 || Math.abs(e.clientY - drag.startY) > 6 });
    } else {
      const points = [...editPoints(sequence, drag.clipIds), frame];
      const target = snapFrame(drag.edgeFrame + dxFrames, points, zoom).frame;
      setDrag({ ...drag, delta: target - drag.edgeFrame });
    }
  };

  const onUp = async () => {
    const d = drag;
    setDrag(null);
    if (!d || d.kind === 'scrub') return;
    try {
      if (d.kind === 'move' && d.moved && (d.delta || d.trackDelta)) {
        const primary = sequence.tracks.flatMap((t) => t.clips.filter((c) => d.clipIds.has(c.id) && t.kind === d.trackKind).map((c) => c.id));
        await client.call('timeline.move', { clipIds: primary.length ? primary : [...d.clipIds], delta: d.delta, trackDelta: d.trackDelta });
      }
      if (d.kind === 'trim' && d.delta) {
        const clipId = [...d.clipIds][0];
        await client.call('timeline.trim', { clipId, edge: d.edge, delta: d.delta });
      }
    } catch (e) {
      ctx.reportError(e);
    }
  };

  /** A bin item over a track row: the ghost of where it lands, snapped like a move. */
  const onDragOver = (track: TrackDto, e: React.DragEvent) => {
    const media = binDrag ? mediaById.get(binDrag) : undefined;
    if (!media) return;
    e.preventDefault();
    const to = dropTracks(sequence, track, media);
    if ('refused' in to) {
      e.dataTransfer.dropEffect = 'none';
      if (!ghost || !('refused' in ghost) || ghost.trackId !== track.id) setGhost({ refused: to.refused, trackId: track.id });
      return;
    }
    const place = dropPlacement(frameAt(e.clientX), mediaLengthInSequence(media, sequence.fps), to, [...editPoints(sequence), frame], zoom);
    e.dataTransfer.dropEffect = place.fits ? 'copy' : 'none';
    const next = { ...place, mediaId: media.id, trackId: to.main.id, soundTrackId: to.sound?.id ?? null };
    if (!ghost || 'refused' in ghost || ghost.position !== next.position || ghost.trackId !== next.trackId || ghost.fits !== next.fits) setGhost(next);
  };
  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    const g = ghost;
    setGhost(null);
    useAppStore.setState({ binDrag: null });
    if (!g || 'refused' in g || !g.fits) return;
    void placeFromBin(ctx, g.mediaId, { position: g.position, trackId: g.trackId, ...(g.soundTrackId && { soundTrackId: g.soundTrackId }) });
  };
  const ghostOn = (track: TrackDto) => {
    if (!ghost) return null;
    if ('refused' in ghost) return ghost.trackId === track.id ? <div className="drop-refused" data-testid="drop-refused">{ghost.refused}</div> : null;
    if (ghost.trackId !== track.id && ghost.soundTrackId !== track.id) return null;
    return (
      <div
        className={`drop-ghost${ghost.fits ? '' : ' blocked'}${ghost.snapped ? ' snapped' : ''}`}
        data-testid="drop-ghost"
        style={{ left: ghost.position * zoom, width: Math.max(2, ghost.length * zoom) }}
      >
        {ghost.trackId === track.id && <span>{ghost.fits ? sequenceTimecode(ghost.position, sequence.fps, sequence.startTimecode) : 'Overlaps a clip'}</span>}
      </div>
    );
  };

  /** Where a clip is drawn, with a drag in progress applied. */
  const geometry = (clip: ClipDto) => {
    let left = clip.position;
    let len = clip.duration;
    let rowShift = 0;
    if (drag?.kind === 'move' && drag.moved && drag.clipIds.has(clip.id)) {
      left += drag.delta;
      rowShift = drag.trackDelta;
    }
    if (drag?.kind === 'trim' && drag.clipIds.has(clip.id)) {
      if (drag.edge === 'in') {
        const d = Math.max(-clip.position, Math.min(clip.duration - 1, drag.delta));
        left += d;
        len -= d;
      } else len = Math.max(1, len + drag.delta);
    }
    return { left: left * zoom, width: Math.max(2, len * zoom), rowShift };
  };

  const trimReadout =
    drag?.kind === 'trim' && drag.delta !== 0 ? `${drag.edge === 'in' ? 'In' : 'Out'} ${drag.delta > 0 ? '+' : '−'}${Math.abs(drag.delta)} fr` : null;

  return (
    <section className="panel timeline" aria-label="Timeline" data-testid="timeline">
      <header className="panel-header">
        <div className="tabs" role="tablist" aria-label="Sequences">
          {project.sequences.map((s) => (
            <button key={s.id} role="tab" aria-selected={s.id === sequence.id} className={`tab${s.id === sequence.id ? ' selected' : ''}`} onClick={() => set({ sequenceId: s.id })}>
              {s.name}
            </button>
          ))}
        </div>
        <span className="muted seq-format" data-testid="sequence-format">
          {sequence.width}×{sequence.height} · {+(rate.toFixed(3))} fps · starts {sequence.startTimecode}
        </span>
        <span className="timecode big" data-testid="program-timecode">{sequenceTimecode(frame, sequence.fps, sequence.startTimecode)}</span>
        <span className="spacer" />
        <div className="button-group">
          <button className="small" onClick={() => void runAction(actionByName('sequenceSettings'), ctx)} title="Frame rate, size and start timecode">Settings…</button>
          <button className="small" onClick={() => void runAction(actionByName('addVideoTrack'), ctx)}>+ Video track</button>
          <button className="small" onClick={() => void runAction(actionByName('addAudioTrack'), ctx)}>+ Audio track</button>
          <button className="small" aria-label="Zoom out" title="Zoom out (−)" onClick={() => void runAction(actionByName('zoomOut'), ctx)}>−</button>
          <button className="small" aria-label="Zoom in" title="Zoom in (+)" onClick={() => void runAction(actionByName('zoomIn'), ctx)}>+</button>
          <button className="small" title="Zoom to fit (Shift+Z)" onClick={() => void runAction(actionByName('zoomFit'), ctx)}>Fit</button>
        </div>
      </header>
      <div className="timeline-body">
        <div className="track-headers" style={{ width: HEADER_W }}>
          <div className="ruler-corner" />
          {tracks.map((t) => (
            <div key={t.id} className={`track-header ${t.kind}`} style={{ height: ROW_H[t.kind] }}>
              <span>{t.name}</span>
              {t.clips.length === 0 && sequence.tracks.filter((x) => x.kind === t.kind).length > 1 && (
                <button className="small icon" title={`Remove empty track ${t.name}`} aria-label={`Remove track ${t.name}`} onClick={() => void client.call('track.remove', { trackId: t.id }).catch(ctx.reportError)}>×</button>
              )}
            </div>
          ))}
        </div>
        <div
          className="timeline-scroll"
          ref={scroller}
          onScroll={(e) => set({ scrollX: e.currentTarget.scrollLeft })}
          onPointerMove={onMove}
          onPointerUp={() => void onUp()}
          onPointerCancel={() => setDrag(null)}
          data-testid="timeline-scroll"
        >
          <div className="timeline-content" style={{ width: contentWidth }}>
            <div className="ruler" onPointerDown={startScrub} data-testid="ruler">
              <Ruler sequence={sequence} zoom={zoom} scrollX={scrollX} width={width} />
            </div>
            <div className="tracks" onPointerDown={startScrub}>
              {tracks.map((t) => (
                <div
                  key={t.id}
                  className={`track-row ${t.kind}`}
                  style={{ height: ROW_H[t.kind] }}
                  data-testid={`track-${t.name}`}
                  onDragOver={(e) => onDragOver(t, e)}
                  onDragLeave={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setGhost(null)}
                  onDrop={onDrop}
                >
                  {ghostOn(t)}
                  {t.clips.map((clip) => {
                    const g = geometry(clip);
                    const active = clip.takes.find((k) => k.id === clip.activeTakeId);
                    const conform = conformLabel(clip.sourceFps, sequence.fps);
                    return (
                      <div
                        key={clip.id}
                        className={`tl-clip ${t.kind}${selected.includes(clip.id) ? ' selected' : ''}${active?.kind === 'generated' ? ' has-generated' : ''}`}
                        style={{ left: g.left, width: g.width, transform: g.rowShift ? `translateY(${-g.rowShift * ROW_H[t.kind] * (t.kind === 'video' ? 1 : -1)}px)` : undefined }}
                        data-testid="clip"
                        data-clip-id={clip.id}
                        tabIndex={0}
                        aria-label={`${clip.name}, ${clip.duration} frames at ${sequenceTimecode(clip.position, sequence.fps, sequence.startTimecode)}`}
                        onPointerDown={(e) => onClipDown(clip, t, e)}
                        onKeyDown={(e) => e.key === 'Enter' && set({ selectedClipIds: [clip.id, ...clip.linkedClipIds], selectedMediaId: null })}
                        onContextMenu={(e) => {
                          e.preventDefault();
                          if (!selected.includes(clip.id)) set({ selectedClipIds: [clip.id, ...clip.linkedClipIds], selectedMediaId: null });
                          set({ contextMenu: { clipId: clip.id, x: e.clientX, y: e.clientY } });
                        }}
                      >
                        {t.kind === 'video' ? <ClipThumbnails clip={clip} media={mediaById.get(clip.mediaId)} sequence={sequence} width={g.width} /> : <ClipWaveform clip={clip} width={g.width} />}
                        <div className="tl-clip-label">
                          <span className="tl-clip-name">{clip.name}</span>
                          {t.kind === 'video' && active && <span className="tl-clip-take" data-testid="clip-active-take">{active.label}</span>}
                          {conform && <span className="badge warn" data-testid="conform" title="Plays in real time: frames are repeated or dropped to fit the sequence rate">{conform}</span>}
                        </div>
                      </div>
                    );
                  })}
                </div>
              ))}
            </div>
            <div className="playhead" style={{ left: frame * zoom }} data-testid="playhead" />
            {trimReadout && (
              <div className="trim-readout" data-testid="trim-readout" style={{ left: (drag?.kind === 'trim' ? drag.edgeFrame + drag.delta : 0) * zoom }}>
                {trimReadout}
              </div>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}

import { useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { actionByName } from '../actions/registry';
import { runAction } from '../actions/run';
import type { ActionContext } from '../actions/types';
import { useAppStore, type ViewerId } from '../store/appStore';

/**
 * A viewer's scrub bar and transport buttons. The bar shows In/Out as a band; clicking or
 * dragging parks the playhead on a whole frame. Buttons run the same actions as the keys.
 */
export function TransportBar({ viewer, length, ctx, inPoint, outPoint, timecode }: {
  viewer: ViewerId;
  length: number;
  ctx: ActionContext;
  inPoint?: number | null;
  outPoint?: number | null;
  timecode: string;
}) {
  const t = useAppStore((s) => s[viewer]);
  const bar = useRef<HTMLDivElement>(null);
  const last = Math.max(1, viewer === 'program' ? length : length - 1);
  const pct = (f: number) => `${Math.max(0, Math.min(100, (100 * f) / last))}%`;
  const seek = (e: ReactPointerEvent) => {
    const r = bar.current!.getBoundingClientRect();
    const f = Math.round(((e.clientX - r.left) / r.width) * last);
    useAppStore.setState((s) => ({ activeViewer: viewer, [viewer]: { ...s[viewer], frame: Math.max(0, Math.min(last, f)), rate: 0 } }));
  };
  const act = (name: string) => () => {
    useAppStore.setState({ activeViewer: viewer });
    void runAction(actionByName(name), ctx);
  };
  return (
    <div className="transport">
      <div
        className="scrub"
        ref={bar}
        role="slider"
        aria-label={`${viewer === 'program' ? 'Program' : 'Source'} playhead`}
        aria-valuemin={0}
        aria-valuemax={last}
        aria-valuenow={t.frame}
        tabIndex={-1}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          seek(e);
        }}
        onPointerMove={(e) => e.buttons === 1 && seek(e)}
      >
        {length > 0 && (inPoint != null || outPoint != null) && (
          <div className="scrub-range" style={{ left: pct(inPoint ?? 0), width: `calc(${pct((outPoint ?? last) - (inPoint ?? 0))} + 2px)` }} data-testid="marked-range" />
        )}
        <div className="scrub-head" style={{ left: pct(t.frame) }} />
      </div>
      <div className="transport-row">
        <button className="small" aria-label="Previous edit" title="Previous edit (↑)" onClick={act('prevEdit')}>⇤</button>
        <button className="small" aria-label="Previous frame" title="Previous frame (←)" onClick={act('stepBack')}>◂</button>
        <button className="small" aria-label="Play reverse" title="Play reverse (J)" onClick={act('shuttleReverse')}>◀</button>
        <button className="small" aria-label={t.rate ? 'Stop' : 'Play'} title="Play / stop (Space, K)" onClick={act('playPause')}>{t.rate ? '■' : '▶'}</button>
        <button className="small" aria-label="Play forward" title="Play forward, faster with each press (L)" onClick={act('shuttleForward')}>▶▶</button>
        <button className="small" aria-label="Next frame" title="Next frame (→)" onClick={act('stepForward')}>▸</button>
        <button className="small" aria-label="Next edit" title="Next edit (↓)" onClick={act('nextEdit')}>⇥</button>
        {t.rate !== 0 && t.rate !== 1 && <span className="badge accent">{t.rate > 0 ? `${t.rate}×` : `◀ ${-t.rate}×`}</span>}
        <span className="spacer" />
        <span className="timecode big" data-testid={`${viewer}-viewer-timecode`}>{timecode}</span>
      </div>
    </div>
  );
}

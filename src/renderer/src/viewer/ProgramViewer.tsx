import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { ActionContext } from '../actions/types';
import { useAppStore } from '../store/appStore';
import { currentSequence, sequenceLength } from '../store/selectors';
import { sequenceTimecode } from '../timeline/timecode';
import { FindOverlay } from '../removal/FindOverlay';
import { FrameVideo, type FrameSource } from './FrameVideo';
import { pictureAt } from './programMap';
import { TransportBar } from './TransportBar';
import { usePlaybackClock } from './usePlaybackClock';
import { useProgramSound } from './useProgramSound';

const MODES = [
  { mode: 'off', label: 'Take', title: 'The active take' },
  { mode: 'ab', label: 'A/B', title: 'Toggle original (A) and take (B) with \\' },
  { mode: 'wipe', label: 'Wipe', title: 'Split wipe: original left, take right; drag the line (W)' },
  { mode: 'side', label: 'Side by side', title: 'Original and take side by side (Shift+W)' },
] as const;

/**
 * The sequence as it plays: the topmost clip at the playhead, its active take at the clip's
 * frame, black in gaps, with the audio tracks' mix in step (useProgramSound). Judging a removal: A/B, a draggable split wipe and side by side compare
 * the original (A) with the take (B) at the same frame, and the take's matte can be laid over
 * it tinted, at an adjustable opacity.
 */
export function ProgramViewer({ ctx, mediaBase }: { ctx: ActionContext; mediaBase: string }) {
  const sequence = useAppStore(currentSequence);
  const frame = useAppStore((s) => s.program.frame);
  const rate = useAppStore((s) => s.program.rate);
  const compare = useAppStore((s) => s.compare);
  const active = useAppStore((s) => s.activeViewer === 'program');
  const screen = useRef<HTMLDivElement>(null);
  const [matteReady, setMatteReady] = useState<string | null>(null);
  const length = sequenceLength(sequence);
  usePlaybackClock('program', sequence ? sequence.fps.num / sequence.fps.den : 0, length);
  // The sound is the audio tracks' mix, not the picture's own (the video layers are muted).
  const sound = useProgramSound(sequence, mediaBase);
  const pic = sequence ? pictureAt(sequence, frame) : null;
  const setCompare = (patch: Partial<typeof compare>) => useAppStore.setState((s) => ({ compare: { ...s.compare, ...patch } }));

  const layer = (take: 'take' | 'original'): FrameSource | null => {
    if (!pic) return null;
    const k = take === 'take' ? pic.take : pic.original;
    return { path: k.path, playback: k.playback, online: k.online, fps: pic.clip.sourceFps };
  };
  const generated = pic && pic.take.kind === 'generated';
  const showA = generated && (compare.mode === 'wipe' || compare.mode === 'side' || (compare.mode === 'ab' && compare.showOriginal));
  const showB = !(compare.mode === 'ab' && compare.showOriginal && generated);
  const matte = generated && compare.matte && pic.take.mattePath ? pic.take : null;
  const b = layer('take');
  const a = layer('original');
  const aFrame = pic?.sourceFrame ?? 0;
  const bFrame = pic?.takeFrame ?? 0;

  const dragWipe = (e: ReactPointerEvent) => {
    if (e.buttons !== 1 || compare.mode !== 'wipe') return;
    const r = screen.current!.getBoundingClientRect();
    setCompare({ wipe: Math.max(0, Math.min(1, (e.clientX - r.left) / r.width)) });
  };

  return (
    <section className={`panel viewer program${active ? ' active-viewer' : ''}`} aria-label="Program viewer" onPointerDown={() => useAppStore.setState({ activeViewer: 'program' })}>
      <audio ref={sound.ref} src={sound.src ?? undefined} preload="auto" data-testid="program-sound" hidden />
      <header className="panel-header">
        <h2>Program</h2>
        <span className="muted" data-testid="program-title">
          {pic ? `${pic.clip.name} — ${compare.mode === 'ab' && compare.showOriginal && generated ? `${pic.original.label} (A)` : pic.take.label}` : sequence ? (length > 0 ? 'gap' : 'empty sequence') : ''}
        </span>
      </header>
      <div className="compare-bar" role="toolbar" aria-label="Compare">
        {MODES.map((m) => (
          <button key={m.mode} className={`small tab${compare.mode === m.mode ? ' selected' : ''}`} title={m.title} aria-pressed={compare.mode === m.mode} onClick={() => setCompare({ mode: m.mode, showOriginal: m.mode === 'ab' ? !compare.showOriginal || compare.mode !== 'ab' : false })}>
            {m.label}
          </button>
        ))}
        <label className="check" title="Lay the take's matte over the picture (M)">
          <input type="checkbox" checked={compare.matte} onChange={(e) => setCompare({ matte: e.target.checked })} /> Matte
        </label>
        <input type="range" className="opacity" aria-label="Matte opacity" min={0.1} max={1} step={0.05} value={compare.matteOpacity} disabled={!compare.matte} onChange={(e) => setCompare({ matteOpacity: Number(e.target.value) })} />
      </div>
      <div
        className={`viewer-screen${compare.mode === 'side' && generated ? ' side' : ''}`}
        ref={screen}
        data-testid="program-screen"
        data-gap={pic ? 'false' : 'true'}
        onPointerDown={(e) => {
          if (compare.mode === 'wipe') e.currentTarget.setPointerCapture(e.pointerId);
          dragWipe(e);
        }}
        onPointerMove={dragWipe}
      >
        {!sequence && <p className="empty">No sequence.</p>}
        {pic && (
          <div className="picture-stack">
            {showB && b && <FrameVideo source={b} frame={bFrame} rate={rate} muted mediaBase={mediaBase} className="layer" testId="program-video" />}
            {showA && a && (
              <FrameVideo
                source={a}
                frame={aFrame}
                rate={rate}
                muted
                mediaBase={mediaBase}
                className={`layer original${compare.mode === 'side' ? ' side-a' : ''}`}
                style={compare.mode === 'wipe' ? { clipPath: `inset(0 ${100 - compare.wipe * 100}% 0 0)` } : undefined}
                testId="program-original"
              />
            )}
            {matte && (
              // Screen-blended red where the matte is white: the tint shows only once the matte has a picture.
              <div className="matte-overlay" style={{ opacity: matteReady === matte.mattePath ? compare.matteOpacity : 0 }} data-testid="matte-overlay" data-ready={matteReady === matte.mattePath}>
                <FrameVideo
                  source={{ path: matte.mattePath!, playback: matte.mattePlayback ?? 'proxy', online: matte.online, fps: pic.clip.sourceFps }}
                  frame={bFrame}
                  rate={rate}
                  muted
                  mediaBase={mediaBase}
                  className="layer"
                  onLoaded={(ok) => setMatteReady(ok ? matte.mattePath! : null)}
                />
                <div className="matte-tint" />
              </div>
            )}
            <FindOverlay pic={pic} />
            {compare.mode === 'wipe' && generated && (
              <div className="wipe-line" style={{ left: `${compare.wipe * 100}%` }} data-testid="wipe-line">
                <span className="wipe-tag left">A original</span>
                <span className="wipe-tag right">B {pic.take.label}</span>
              </div>
            )}
          </div>
        )}
      </div>
      <TransportBar viewer="program" length={length} ctx={ctx} timecode={sequence ? sequenceTimecode(frame, sequence.fps, sequence.startTimecode) : '--:--:--:--'} />
    </section>
  );
}

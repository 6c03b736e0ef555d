import type { MouseEvent } from 'react';
import type { ClipDto, SequenceDto } from '../../../api/schemas/project';
import { formatTimecode } from '../format';

interface SequencePanelProps {
  sequences: SequenceDto[];
  selectedSequenceId: string | null;
  onSelectSequence: (id: string) => void;
  selectedClipId: string | null;
  onSelectClip: (id: string) => void;
  onClipContextMenu: (clip: ClipDto, e: MouseEvent) => void;
}

/**
 * The project's sequences, and the selected one's clips track by track in timeline order, each
 * showing which take it currently uses. A list, not a scaled timeline: enough to pick clips and
 * see their takes, which is what removal work needs.
 */
export function SequencePanel({ sequences, selectedSequenceId, onSelectSequence, selectedClipId, onSelectClip, onClipContextMenu }: SequencePanelProps) {
  const sequence = sequences.find((s) => s.id === selectedSequenceId) ?? sequences[0] ?? null;
  const seconds = (frames: number) => (sequence ? (frames * sequence.fps.den) / sequence.fps.num : 0);
  const clipCount = sequence?.tracks.reduce((n, t) => n + t.clips.length, 0) ?? 0;
  return (
    <section className="panel sequence" aria-label="Sequence">
      <header className="panel-header">
        <div className="tabs" role="tablist" aria-label="Sequences">
          {sequences.map((s) => (
            <button
              key={s.id}
              role="tab"
              aria-selected={s.id === sequence?.id}
              className={`tab${s.id === sequence?.id ? ' selected' : ''}`}
              onClick={() => onSelectSequence(s.id)}
            >
              {s.name}
            </button>
          ))}
        </div>
        {sequence && (
          <span className="muted">
            {sequence.width}×{sequence.height} · {(sequence.fps.num / sequence.fps.den).toFixed(3).replace(/\.?0+$/, '')} fps
            {clipCount > 0 && ' · right-click a clip for actions'}
          </span>
        )}
      </header>
      <div className="panel-body">
        {!sequence && <p className="empty">This project has no sequence.</p>}
        {sequence && clipCount === 0 && <p className="empty">Add media to the sequence: double-click it in the media pool.</p>}
        {sequence &&
          clipCount > 0 &&
          sequence.tracks
            .filter((t) => t.clips.length > 0)
            .map((track) => (
              <div className="track" key={track.id}>
                <div className="track-name">{track.name}</div>
                <ol className="clip-strip" aria-label={`Track ${track.name}`}>
                  {track.clips.map((clip) => {
                    const active = clip.takes.find((t) => t.id === clip.activeTakeId);
                    const generated = clip.takes.length - 1;
                    return (
                      <li
                        key={clip.id}
                        className={`clip${clip.id === selectedClipId ? ' selected' : ''}${active?.kind === 'generated' ? ' has-generated' : ''}`}
                        data-testid="clip"
                        tabIndex={0}
                        onClick={() => onSelectClip(clip.id)}
                        onKeyDown={(e) => e.key === 'Enter' && onSelectClip(clip.id)}
                        onContextMenu={(e) => {
                          e.preventDefault();
                          onSelectClip(clip.id);
                          onClipContextMenu(clip, e);
                        }}
                      >
                        <div className="clip-name">{clip.name}</div>
                        <div className="clip-meta">
                          {formatTimecode(seconds(clip.position), sequence.fps)} · {clip.duration} fr
                          {generated > 0 && ` · ${generated} take${generated === 1 ? '' : 's'}`}
                        </div>
                        <div className="clip-take" data-testid="clip-active-take">
                          {active ? active.label : '—'}
                        </div>
                      </li>
                    );
                  })}
                </ol>
              </div>
            ))}
      </div>
    </section>
  );
}

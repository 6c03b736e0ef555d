import type { DragEvent } from 'react';
import type { MediaItemDto } from '../../../api/schemas/project';
import { formatBytes, formatCodec, formatColour, formatDuration, formatFps, formatResolution } from '../format';
import { useAppStore } from '../store/appStore';

/** The drag data type of a bin item dragged to the timeline (its media id). */
export const MEDIA_DRAG_TYPE = 'application/x-lacuna-media';

interface MediaPoolProps {
  media: MediaItemDto[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onAddToSequence: (id: string) => void;
  onImport: () => void;
  /** Paths of dropped files, where the host can tell them (Electron). */
  pathsForDrop: ((files: File[]) => string[]) | null;
  onDropPaths: (paths: string[]) => void;
}

/** The bin: imported files with what probing found, the facts an editor checks before work. */
export function MediaPool({ media, selectedId, onSelect, onAddToSequence, onImport, pathsForDrop, onDropPaths }: MediaPoolProps) {
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    if (!pathsForDrop || e.dataTransfer.types.includes(MEDIA_DRAG_TYPE)) return;
    const paths = pathsForDrop([...e.dataTransfer.files]);
    if (paths.length) onDropPaths(paths);
  };
  return (
    <section className="panel media-pool" aria-label="Media pool" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <header className="panel-header">
        <h2>Media</h2>
        <button onClick={onImport}>Import…</button>
      </header>
      <div className="panel-body">
        {media.length === 0 && <p className="empty">Import camera files or renders to start.</p>}
        <ul className="media-list">
          {media.map((m) => {
            const v = m.info.video;
            return (
              <li
                key={m.id}
                className={`media-item${m.id === selectedId ? ' selected' : ''}${m.online ? '' : ' offline'}`}
                data-testid="media-item"
                tabIndex={0}
                draggable
                title="Drag to the timeline, or Add to sequence"
                onDragStart={(e) => {
                  e.dataTransfer.setData(MEDIA_DRAG_TYPE, m.id);
                  e.dataTransfer.effectAllowed = 'copy';
                  useAppStore.setState({ binDrag: m.id });
                }}
                onDragEnd={() => useAppStore.setState({ binDrag: null })}
                onClick={() => onSelect(m.id)}
                onKeyDown={(e) => e.key === 'Enter' && onSelect(m.id)}
                onDoubleClick={() => onAddToSequence(m.id)}
              >
                <div className="media-name" title={m.path}>
                  {m.name}
                  {!m.online && <span className="badge warn">offline</span>}
                  {m.playback === 'proxy' && (
                    <span className="badge" title="Chromium cannot decode this codec; the viewer plays a live preview transcode">
                      proxy
                    </span>
                  )}
                </div>
                <dl className="probe" data-testid="probe-info">
                  <dt>Res</dt>
                  <dd>{formatResolution(m.info)}</dd>
                  <dt>FPS</dt>
                  <dd>{v ? `${formatFps(v.fps)}${v.variableFrameRate ? ' VFR' : ''}` : '—'}</dd>
                  <dt>Dur</dt>
                  <dd>
                    {formatDuration(m.info.duration)}
                    {v ? ` · ${v.frameCount} fr` : ''}
                  </dd>
                  <dt>Codec</dt>
                  <dd>{formatCodec(m.info)}</dd>
                  <dt>Colour</dt>
                  <dd>{formatColour(m.info)}</dd>
                  {m.info.audio.length > 0 && (
                    <>
                      <dt>Audio</dt>
                      <dd>{m.info.audio.map((a) => `${a.codec} ${a.channels}ch ${a.sampleRate / 1000}k`).join(', ')}</dd>
                    </>
                  )}
                  {m.info.fileSize !== undefined && (
                    <>
                      <dt>Size</dt>
                      <dd>{formatBytes(m.info.fileSize)}</dd>
                    </>
                  )}
                </dl>
                <button className="small" onClick={(e) => (e.stopPropagation(), onAddToSequence(m.id))}>
                  Add to sequence
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

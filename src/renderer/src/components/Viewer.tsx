import { useEffect, useRef, useState } from 'react';
import { mediaUrl } from '../../../api/mediaUrl';
import type { MediaInfoDto, Playback } from '../../../api/schemas/media';
import { formatTimecode } from '../format';

export interface ViewerSource {
  /** Changes whenever a different file is shown (take switched, clip selected). */
  key: string;
  title: string;
  path: string;
  playback: Playback;
  info: MediaInfoDto | null;
  online: boolean;
}

/**
 * Plays the selected clip's active take. Natively decodable files stream with Range requests and
 * seek in place. Others play as a live proxy transcode that is not seekable, so seeking asks the
 * host for a new stream starting at the chosen time and the clock adds that start offset.
 */
export function Viewer({ source, mediaBase }: { source: ViewerSource | null; mediaBase: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [proxyStart, setProxyStart] = useState(0);
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const duration = source?.info?.duration ?? 0;
  const fps = source?.info?.video?.fps ?? null;
  const proxied = source?.playback === 'proxy';

  useEffect(() => {
    setProxyStart(0);
    setTime(0);
    setPlaying(false);
    setError(null);
  }, [source?.key]);

  const src =
    source && source.online
      ? proxied
        ? mediaUrl(mediaBase, { mode: 'proxy', path: source.path, start: proxyStart })
        : mediaUrl(mediaBase, { mode: 'file', path: source.path })
      : undefined;

  const proxySeek = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seek = (t: number) => {
    const v = video.current;
    if (!v) return;
    if (proxied) {
      // Each proxy seek restarts ffmpeg; while the scrubber is dragged, only the last position counts.
      setTime(t);
      if (proxySeek.current) clearTimeout(proxySeek.current);
      const wasPlaying = !v.paused;
      proxySeek.current = setTimeout(() => {
        v.autoplay = wasPlaying;
        setProxyStart(t);
      }, 200);
    } else {
      v.currentTime = t;
    }
  };

  const toggle = () => {
    const v = video.current;
    if (!v) return;
    if (v.paused) void v.play().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    else v.pause();
  };

  return (
    <section className="panel viewer" aria-label="Viewer">
      <header className="panel-header">
        <h2>Viewer</h2>
        <span className="muted">
          {source ? source.title : ''}
          {proxied && ' · proxy preview'}
        </span>
      </header>
      <div className="viewer-screen">
        {!source && <p className="empty">Select a clip or a media item to view it.</p>}
        {source && !source.online && <p className="empty">Media offline: {source.path}</p>}
        {src && (
          <video
            ref={video}
            key={source?.key}
            src={src}
            preload="auto"
            onTimeUpdate={(e) => setTime((proxied ? proxyStart : 0) + e.currentTarget.currentTime)}
            onPlay={() => setPlaying(true)}
            onPause={() => setPlaying(false)}
            onError={(e) => setError(e.currentTarget.error?.message || 'this file cannot be played')}
            onLoadedData={() => setError(null)}
          />
        )}
        {error && <div className="viewer-error">Playback: {error}</div>}
      </div>
      <div className="transport">
        <button className="small" disabled={!src} onClick={toggle} aria-label={playing ? 'Pause' : 'Play'}>
          {playing ? '❚❚' : '▶'}
        </button>
        <input
          type="range"
          className="scrubber"
          min={0}
          max={duration || 0}
          step={fps ? fps.den / fps.num : 0.04}
          value={Math.min(time, duration)}
          disabled={!src || !duration}
          onChange={(e) => seek(Number(e.target.value))}
          aria-label="Playhead"
        />
        <span className="timecode">
          {formatTimecode(time, fps)} / {formatTimecode(duration, fps)}
        </span>
      </div>
    </section>
  );
}

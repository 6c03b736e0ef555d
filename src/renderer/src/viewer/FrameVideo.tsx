import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { mediaUrl } from '../../../api/mediaUrl';
import type { Playback, RationalDto } from '../../../api/schemas/media';

export interface FrameSource {
  path: string;
  playback: Playback;
  online: boolean;
  fps: RationalDto;
}

/**
 * One picture layer showing frame `frame` of a file. Paused, it seeks to the middle of the
 * frame's interval (so rounding can never show its neighbour); playing forward it lets Chromium
 * play (at 1×, 2×, 4×, 8×) and only corrects drift of more than a few frames against the
 * viewer's clock; in reverse it seeks frame by frame. Files Chromium cannot decode are shown
 * through the host's proxy stream, restarted at the wanted time.
 */
export function FrameVideo({
  source,
  frame,
  rate,
  muted,
  mediaBase,
  className,
  style,
  testId,
}: {
  source: FrameSource;
  frame: number;
  rate: number;
  muted: boolean;
  mediaBase: string;
  className?: string;
  style?: CSSProperties;
  testId?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const fps = source.fps.num / source.fps.den;
  const t = (frame + 0.5) / fps;
  const proxied = source.playback === 'proxy';
  // A proxy stream cannot seek: a new one starts whenever the wanted frame is not where it plays.
  const [proxyStart, setProxyStart] = useState(frame / fps);
  useEffect(() => setError(null), [source.path]);

  useEffect(() => {
    const v = ref.current;
    if (!v || !source.online) return;
    if (proxied) {
      const playingAt = proxyStart + v.currentTime;
      if (rate !== 1 ? Math.abs(proxyStart - frame / fps) > 1e-6 : Math.abs(playingAt - t) > 0.5) {
        const id = setTimeout(() => setProxyStart(Math.max(0, frame / fps)), rate === 0 ? 120 : 0);
        return () => clearTimeout(id);
      }
      if (v.paused && rate === 1) void v.play().catch(() => {});
      if (!v.paused && rate !== 1) v.pause();
      return;
    }
    if (rate > 0) {
      v.playbackRate = rate;
      if (Math.abs(v.currentTime - t) > Math.max(3, rate * 2) / fps) v.currentTime = t;
      if (v.paused) void v.play().catch((e: unknown) => setError(String(e)));
    } else {
      if (!v.paused) v.pause();
      if (Math.abs(v.currentTime - t) > 0.25 / fps) v.currentTime = t;
    }
  }, [t, rate, fps, frame, proxied, proxyStart, source.online]);

  if (!source.online) return <div className={`viewer-offline ${className ?? ''}`}>Media offline: {source.path}</div>;
  const src = proxied ? mediaUrl(mediaBase, { mode: 'proxy', path: source.path, start: proxyStart }) : mediaUrl(mediaBase, { mode: 'file', path: source.path });
  return (
    <>
      <video
        ref={ref}
        key={source.path}
        className={className}
        style={style}
        src={src}
        preload="auto"
        muted={muted || rate !== 1}
        data-testid={testId}
        data-frame={frame}
        onLoadedData={(e) => {
          setError(null);
          if (!proxied && rate === 0) e.currentTarget.currentTime = t;
        }}
        onError={(e) => setError(e.currentTarget.error?.message || 'this file cannot be played')}
      />
      {error && <div className="viewer-error">Playback: {error}</div>}
    </>
  );
}

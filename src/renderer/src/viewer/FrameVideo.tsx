import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { mediaUrl } from '../../../api/mediaUrl';
import type { Playback, RationalDto } from '../../../api/schemas/media';

/** How often a refused or broken proxy stream is asked for again before the viewer says so. */
const PROXY_RETRIES = 4;

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
  onLoaded,
}: {
  source: FrameSource;
  frame: number;
  rate: number;
  muted: boolean;
  mediaBase: string;
  className?: string;
  style?: CSSProperties;
  testId?: string;
  /** Told when a picture is there to show (true) or the file failed (false). */
  onLoaded?: (ok: boolean) => void;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const fps = source.fps.num / source.fps.den;
  const t = (frame + 0.5) / fps;
  const proxied = source.playback === 'proxy';
  // A proxy stream cannot seek: a new one starts whenever the wanted frame is not where it plays.
  const [proxyStart, setProxyStart] = useState(frame / fps);
  // A proxy refused (the host runs a few at once and answers 503 beyond) is asked for again.
  const [attempt, setAttempt] = useState(0);
  useEffect(() => setError(null), [source.path]);
  useEffect(() => setAttempt(0), [source.path, proxyStart]);

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
        key={`${source.path}#${attempt}`}
        className={className}
        style={style}
        src={src}
        preload="auto"
        muted={muted || rate !== 1}
        data-testid={testId}
        data-frame={frame}
        // The frame a proxy stream starts with: until it is `frame` (a new stream follows a step
        // after a short pause) the picture is an earlier stream's, whatever readyState says.
        data-stream-frame={proxied ? Math.round(proxyStart * fps) : undefined}
        onLoadedData={(e) => {
          setError(null);
          onLoaded?.(true);
          if (!proxied && rate === 0) e.currentTarget.currentTime = t;
        }}
        onError={(e) => {
          if (proxied && attempt < PROXY_RETRIES) {
            const next = attempt + 1;
            setTimeout(() => setAttempt((a) => (a === next - 1 ? next : a)), 300 * next);
            return;
          }
          onLoaded?.(false);
          setError(e.currentTarget.error?.message || 'this file cannot be played');
        }}
      />
      {error && <div className="viewer-error">Playback: {error}</div>}
    </>
  );
}

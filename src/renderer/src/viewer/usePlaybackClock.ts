import { useEffect } from 'react';
import { useAppStore, type ViewerId } from '../store/appStore';

/**
 * Advances a viewer's playhead in real time while its shuttle rate is not 0: `rate` × the
 * viewer's frame rate, whole frames, from the animation clock. Stops at either end. The picture
 * follows the playhead (FrameVideo), so every viewer and the timeline agree on the frame.
 */
export function usePlaybackClock(viewer: ViewerId, fps: number, length: number): void {
  const rate = useAppStore((s) => s[viewer].rate);
  useEffect(() => {
    if (!rate || !fps) return;
    let raf = 0;
    let last = performance.now();
    let carry = useAppStore.getState()[viewer].frame;
    const tick = (now: number) => {
      carry += ((now - last) / 1000) * fps * rate;
      last = now;
      const end = viewer === 'program' ? length : Math.max(0, length - 1);
      const frame = Math.max(0, Math.min(end, Math.floor(carry)));
      const stop = (rate > 0 && frame >= end) || (rate < 0 && frame <= 0);
      const current = useAppStore.getState()[viewer];
      if (frame !== current.frame || stop) useAppStore.setState({ [viewer]: { ...current, frame, rate: stop ? 0 : current.rate } });
      if (!stop) raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [viewer, rate, fps, length]);
}

import { useEffect, useRef, useState } from 'react';
import type { ClipDto } from '../../../api/schemas/project';
import type { WaveformDto } from '../../../api/schemas/timeline';
import { useClient } from '../clientContext';
import { requestWaveform } from './previewRequests';
import { useSettled, useVisible } from './useVisible';

/** Canvases are capped at this width; wider clips are drawn at this resolution and stretched. */
const MAX_CANVAS = 4096;

/** The clip's sound as a peak waveform (mirrored around the middle), drawn once it is on screen. */
export function ClipWaveform({ clip, width }: { clip: ClipDto; width: number }) {
  const client = useClient();
  const ref = useRef<HTMLCanvasElement>(null);
  const visible = useVisible(ref);
  const [wave, setWave] = useState<WaveformDto | null>(null);
  const w = Math.max(1, Math.min(MAX_CANVAS, Math.round(useSettled(width))));
  useEffect(() => {
    if (!visible) return;
    let live = true;
    requestWaveform(client, clip.mediaId).then(
      (x) => live && setWave(x),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [client, visible, clip.mediaId]);
  useEffect(() => {
    const canvas = ref.current;
    const g = canvas?.getContext('2d');
    if (!canvas || !g || !wave) return;
    const h = canvas.height;
    g.clearRect(0, 0, w, h);
    g.fillStyle = '#7fd1a8';
    const fps = clip.sourceFps.num / clip.sourceFps.den;
    const from = (clip.sourceIn / fps) * wave.rate;
    const to = (clip.sourceOut / fps) * wave.rate;
    for (let x = 0; x < w; x++) {
      const a = Math.floor(from + ((to - from) * x) / w);
      const b = Math.max(a + 1, Math.floor(from + ((to - from) * (x + 1)) / w));
      let peak = 0;
      for (let i = a; i < b && i < wave.peaks.length; i++) peak = Math.max(peak, wave.peaks[i]);
      const bar = Math.max(1, peak * (h - 2));
      g.fillRect(x, (h - bar) / 2, 1, bar);
    }
  }, [wave, w, clip.sourceIn, clip.sourceOut, clip.sourceFps]);
  return <canvas ref={ref} className="clip-wave" width={w} height={36} data-testid="clip-waveform" data-loaded={wave ? 'true' : 'false'} />;
}

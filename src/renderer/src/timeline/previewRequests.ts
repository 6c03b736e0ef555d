import type { LacunaClient } from '../../../api/client';
import type { ThumbnailStripDto, WaveformDto } from '../../../api/schemas/timeline';

/*
 * The timeline asks the engine for thumbnail strips and waveforms (made by ffmpeg, cached on disk
 * there); this keeps each answer for the session, so scrolling back or re-rendering asks again
 * for nothing. Failed requests are forgotten so a later look can try again.
 */
const thumbs = new Map<string, Promise<ThumbnailStripDto>>();
const waves = new Map<string, Promise<WaveformDto | null>>();

export function requestThumbnails(client: LacunaClient, mediaId: string, frames: number[], height: number): Promise<ThumbnailStripDto> {
  const key = `${mediaId}|${height}|${frames.join(',')}`;
  let p = thumbs.get(key);
  if (!p) {
    p = client.call('media.thumbnails', { mediaId, frames, height });
    thumbs.set(key, p);
    p.catch(() => thumbs.delete(key));
  }
  return p;
}

export function requestWaveform(client: LacunaClient, mediaId: string): Promise<WaveformDto | null> {
  let p = waves.get(mediaId);
  if (!p) {
    p = client.call('media.waveform', { mediaId });
    waves.set(mediaId, p);
    p.catch(() => waves.delete(mediaId));
  }
  return p;
}

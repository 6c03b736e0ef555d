import { useEffect, useRef, useState } from 'react';
import type { ClipDto, MediaItemDto, SequenceDto } from '../../../api/schemas/project';
import type { ThumbnailStripDto } from '../../../api/schemas/timeline';
import { useClient } from '../clientContext';
import { requestThumbnails } from './previewRequests';
import { sourceFrameAt } from './timecode';
import { useSettled, useVisible } from './useVisible';

const HEIGHT = 40;

/**
 * Frames of the clip's active take across its width, one per tile as in Premiere's "continuous"
 * thumbnails, fetched when the clip scrolls into view and once a zoom has settled.
 */
export function ClipThumbnails({ clip, media, sequence, width }: { clip: ClipDto; media: MediaItemDto | undefined; sequence: SequenceDto; width: number }) {
  const client = useClient();
  const ref = useRef<HTMLDivElement>(null);
  const visible = useVisible(ref);
  const settledWidth = useSettled(Math.round(width));
  const [strip, setStrip] = useState<ThumbnailStripDto | null>(null);
  const take = clip.takes.find((t) => t.id === clip.activeTakeId);
  const v = media?.info.video;
  // The engine's tile width (thumbnails.ts thumbnailWidth): the display aspect at this height, even.
  const tile = v ? Math.max(2, 2 * Math.round((HEIGHT * v.displayWidth) / v.displayHeight / 2)) : 72;
  useEffect(() => {
    if (!visible || !take || !take.online || settledWidth < 4) return;
    const count = Math.min(64, Math.max(1, Math.ceil(settledWidth / tile)));
    const perTile = (tile * clip.duration) / settledWidth; // sequence frames per tile, so tile i shows the frame at its left edge
    const offset = take.sourceStart ?? 0;
    const frames = Array.from({ length: count }, (_, i) => {
      const src = clip.sourceIn + sourceFrameAt(Math.min(clip.duration - 1, Math.floor(i * perTile)), clip.sourceFps, sequence.fps);
      return Math.max(0, src - offset);
    });
    let live = true;
    requestThumbnails(client, take.mediaId, frames, HEIGHT).then(
      (s) => live && setStrip(s),
      () => live && setStrip(null),
    );
    return () => {
      live = false;
    };
  }, [client, visible, take, settledWidth, tile, clip.sourceIn, clip.duration, clip.sourceFps, sequence.fps]);
  return (
    <div className="clip-thumbs" ref={ref} data-testid="clip-thumbnails" data-loaded={strip ? 'true' : 'false'}>
      {strip && (
        // Natural size while the zoom is settled; stretched with the clip while it changes.
        <img src={strip.url} alt="" draggable={false} style={{ width: strip.frames.length * strip.frameWidth * (width / settledWidth), height: HEIGHT }} />
      )}
    </div>
  );
}

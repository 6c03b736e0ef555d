import type { MediaRef } from '../project/schema';
import { expandFrameRuns, frameFileName } from '../project/imageSequence';
import { toNumber, type Rational } from '../util/rational';
import { runProcess } from '../util/runProcess';
import type { PreviewCache } from './previewCache';

export interface ThumbnailStrip {
  jpeg: Buffer;
  frameWidth: number;
  height: number;
  frames: number[];
}

/** Frame width at `height`, keeping the picture's display aspect (even, as encoders want). */
export function thumbnailWidth(media: MediaRef, height: number): number {
  const v = media.probe.video;
  const aspect = v ? v.displayWidth / v.displayHeight : 16 / 9;
  return Math.max(2, 2 * Math.round((height * aspect) / 2));
}

/**
 * The ffmpeg inputs for media frames `frames`: a seek into a file for each (fast input seeking,
 * accurate since ffmpeg decodes from the keyframe before), or the frame's own image file in a
 * sequence, which also handles numbering with gaps and steps exactly.
 */
export function frameInputs(media: MediaRef, frames: readonly number[], rate: Rational): string[] {
  if (media.kind === 'imageSequence') {
    const numbers = expandFrameRuns(media.numberRuns);
    return frames.flatMap((f) => ['-i', frameFileName(media.path, numbers[Math.min(numbers.length - 1, f)])]);
  }
  const start = media.probe.video?.startTime ?? 0;
  // A quarter frame before the frame's time: ffmpeg's accurate seek drops frames before the
  // seek point, so this keeps frame f (and the last frame of the file) and drops f − 1.
  return frames.flatMap((f) => ['-ss', Math.max(0, (f - 0.25) / toNumber(rate) + start).toFixed(6), '-i', media.path]);
}

/**
 * One JPEG with `frames` of the media side by side, `height` pixels high, made by ffmpeg and
 * cached (previewCache.ts). A frame past the end of the media repeats the last one.
 */
export async function thumbnailStrip(
  ffmpeg: string,
  cache: PreviewCache,
  media: MediaRef,
  rate: Rational,
  frames: readonly number[],
  height: number,
  signal?: AbortSignal,
): Promise<ThumbnailStrip> {
  const width = thumbnailWidth(media, height);
  const key = cache.key(media, `thumbs:${frames.join(',')}@${height}`);
  const jpeg = await cache.get(key, 'jpg', async () => {
    const scaled = frames.map((_, i) => `[${i}:v:0]scale=${width}:${height},setsar=1,format=yuvj420p[f${i}]`);
    const stack = frames.length === 1 ? `[f0]null[out]` : `${frames.map((_, i) => `[f${i}]`).join('')}hstack=inputs=${frames.length}[out]`;
    const args = [
      '-hide_banner', '-loglevel', 'error', '-nostdin',
      ...frameInputs(media, frames, rate),
      '-filter_complex', [...scaled, stack].join(';'),
      '-map', '[out]', '-frames:v', '1', '-q:v', '4', '-f', 'image2pipe', '-c:v', 'mjpeg', '-',
    ];
    const { stdout } = await runProcess(ffmpeg, args, { signal, what: `thumbnails of "${media.name}"` });
    return stdout;
  });
  return { jpeg, frameWidth: width, height, frames: [...frames] };
}

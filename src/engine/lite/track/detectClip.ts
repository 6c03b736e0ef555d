import type { Frame } from '../../media/types';
import { LacunaError, throwIfAborted } from '../../util/errors';
import type { Detector } from '../detect/createDetector';
import type { Detection, RgbImage } from '../types';

export interface ClipDetections {
  frameCount: number;
  frameSize: { width: number; height: number };
  /** What the detector found in each frame; null for frames it skipped (see trackObjects). */
  detections: (Detection[] | null)[];
}

export interface DetectClipOptions {
  /** Run the detector on every k-th frame (and the last); 1 = every frame. */
  every?: number;
  signal?: AbortSignal;
  /** Called after each detector run ends, with the frames read so far. */
  onProgress?: (framesRead: number) => void;
}

/**
 * Runs the detector over a clip's frames, on keyframes only when `every` > 1: at 1080p a
 * detection costs several times a frame's decode, and trackObjects interpolates boxes between
 * keyframes, so objects moving smoothly need not be detected in every frame. Frame 0 and the
 * clip's last frame are always examined so tracks reach both ends without extrapolation; the
 * last frame is copied while it might be the last, because decoders may reuse frame buffers.
 */
export async function detectClip(
  frames: AsyncIterable<Frame>,
  detector: Pick<Detector, 'detect'>,
  options: DetectClipOptions = {},
): Promise<ClipDetections> {
  const every = options.every ?? 1;
  if (!Number.isInteger(every) || every < 1) {
    throw new LacunaError('BAD_ARGUMENT', `keyframe interval must be a whole number of frames >= 1 (got ${every})`);
  }
  const detections: (Detection[] | null)[] = [];
  let size: { width: number; height: number } | null = null;
  let pending: { index: number; image: RgbImage } | null = null;
  let count = 0;
  // A detector with several lanes (sharedDetector.ts) gets that many frames at once; each frame in
  // flight is a copy, since the decoder may reuse its buffer for the next frame meanwhile.
  const parallel = Math.max(1, (detector as { parallel?: number }).parallel ?? 1);
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | null = null;
  const start = (image: RgbImage, index: number) => {
    const run: Promise<void> = detector
      .detect(image, index)
      .then(
        (found) => {
          detections[index] = found;
          options.onProgress?.(count);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      )
      .finally(() => inFlight.delete(run));
    inFlight.add(run);
  };
  const settle = async (atMost: number) => {
    while (inFlight.size > atMost) await Promise.race(inFlight);
    if (failure) throw failure.error;
  };

  try {
    for await (const frame of frames) {
      throwIfAborted(options.signal, 'object detection');
      if (frame.channels !== 3) {
        throw new LacunaError('BAD_ARGUMENT', `object detection needs RGB frames; frame ${frame.index} has ${frame.channels} channel(s)`);
      }
      if (!size) size = { width: frame.width, height: frame.height };
      else if (frame.width !== size.width || frame.height !== size.height) {
        throw new LacunaError(
          'MEDIA_UNREADABLE',
          `frame ${frame.index} is ${frame.width}x${frame.height} but the clip started at ${size.width}x${size.height}`,
        );
      }
      const index = count++;
      if (index % every === 0) {
        detections[index] = null; // set when its detection ends
        start(parallel > 1 ? { width: frame.width, height: frame.height, data: frame.data.slice() } : frame, index);
        pending = null;
        await settle(parallel - 1);
      } else {
        detections[index] = null;
        const buffer: Uint8Array = pending?.image.data.length === frame.data.length ? pending.image.data : new Uint8Array(frame.data.length);
        buffer.set(frame.data);
        pending = { index, image: { width: frame.width, height: frame.height, data: buffer } };
      }
    }
    if (pending) {
      throwIfAborted(options.signal, 'object detection');
      start(pending.image, pending.index);
    }
    await settle(0);
  } finally {
    // A failure or a cancel leaves no detection running behind the caller's back.
    await Promise.allSettled(inFlight);
  }
  return { frameCount: count, frameSize: size ?? { width: 0, height: 0 }, detections };
}

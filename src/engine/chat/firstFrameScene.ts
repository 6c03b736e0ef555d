/**
 * What the detector sees in a clip's first frame of the range, as words for a language model.
 * One frame, decoded at the detector's working size: the two-stage mode describes the shot once
 * per conversation turn, not the whole clip.
 */
import { decodeFrames } from '../media/decode';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import type { FrameRange, MediaInfo } from '../media/types';
import { createDetector, type Detector } from '../lite/detect/createDetector';
import { detectionSize } from '../lite/findObjects';
import { describeScene, sceneObjects } from './sceneDescription';
import type { SceneObject } from './types';

export async function firstFrameObjects(
  media: MediaInfo,
  range: FrameRange,
  detector: Pick<Detector, 'detect'>,
  options: { ffmpeg?: FfmpegPaths; signal?: AbortSignal } = {},
): Promise<SceneObject[]> {
  const video = media.video!;
  const size = detectionSize(video.displayWidth, video.displayHeight);
  for await (const frame of decodeFrames(media, { range: { start: range.start, end: range.start + 1 }, ...size, ...options })) {
    const image = { width: frame.width, height: frame.height, data: frame.data };
    return sceneObjects(await detector.detect(image, range.start), frame.width, frame.height);
  }
  return [];
}

export async function firstFrameScene(...args: Parameters<typeof firstFrameObjects>): Promise<string> {
  return describeScene(await firstFrameObjects(...args));
}

/** The scene in words with Lite's own detector, loaded for this one frame and freed after. */
export async function describeFirstFrame(media: MediaInfo, range: FrameRange, options: { ffmpeg?: FfmpegPaths; signal?: AbortSignal } = {}): Promise<string> {
  const detector = createDetector();
  try {
    return await firstFrameScene(media, range, detector, options);
  } finally {
    detector.dispose();
  }
}

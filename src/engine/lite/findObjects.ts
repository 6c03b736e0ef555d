import { decodeFrames } from '../media/decode';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import type { FrameRange, MediaInfo } from '../media/types';
import type { Detector } from './detect/createDetector';
import { selectTracks, trackColour, type ParsedExpression } from './expression';
import { detectClip } from './track/detectClip';
import { trackObjects } from './track/trackObjects';
import type { Box, RgbImage, Track } from './types';

/**
 * Lite's first pass: find the objects in a range and which of them the words name. The clip is
 * decoded once at a reduced size (the detector letterboxes into a 512-pixel input anyway, so full
 * resolution would only cost decode time), the detector runs on keyframes, the tracker links
 * detections into tracks over the whole range, and the expression picks tracks judged over the
 * clip. Only detections and a few small frames for colour judgement are kept: never the clip.
 *
 * Every track is returned, with which ones the words chose: the Find step shows the others so the
 * user can click to change the choice, and the removal (grounding.ts) fills the chosen ones and
 * keeps the rest out of its samples. Detection is deterministic, so the ids a preview shows name
 * the same objects when a render runs it again (RemovalTarget.tracks).
 */

/** Long side of the frames the detector sees. */
const DETECT_SIDE = 640;
/** Frames kept for colour judgement (evenly spaced; trackColour samples among those it is given). */
const COLOUR_FRAMES = 48;

export interface GroundingInput {
  media: MediaInfo;
  range: FrameRange;
  expression: ParsedExpression;
  detector: Pick<Detector, 'detect'>;
  /** Run the detector on every k-th frame (and the last); boxes between are interpolated. */
  keyframeEvery: number;
  signal: AbortSignal;
  ffmpeg: FfmpegPaths;
  progress: (done: number, total: number) => void;
}

export interface FoundObjects {
  matched: boolean;
  explanation: string;
  /** Every track, boxes in source pixels (display orientation). */
  tracks: Track[];
  /** Ids of the tracks the words chose. */
  chosen: number[];
}

/** The detection size for a display size: long side DETECT_SIDE at most, even dimensions. */
export function detectionSize(width: number, height: number): { width: number; height: number } {
  const s = Math.min(1, DETECT_SIDE / Math.max(width, height));
  const even = (v: number) => Math.max(2, 2 * Math.round((v * s) / 2));
  return { width: even(width), height: even(height) };
}

function scaleBox(b: Box, sx: number, sy: number): Box {
  return { x: b.x * sx, y: b.y * sy, width: b.width * sx, height: b.height * sy };
}

export async function findObjects(input: GroundingInput): Promise<FoundObjects> {
  const video = input.media.video!;
  const total = input.range.end - input.range.start;
  const size = detectionSize(video.displayWidth, video.displayHeight);
  // Kept frames fall on keyframes: elsewhere boxes are interpolated, not seen.
  const colourEvery = input.keyframeEvery * Math.max(1, Math.ceil(total / input.keyframeEvery / COLOUR_FRAMES));
  const kept = new Map<number, RgbImage>();
  const frames = decodeFrames(input.media, { range: input.range, ...size, signal: input.signal, ffmpeg: input.ffmpeg });
  async function* keepingSome() {
    for await (const f of frames) {
      if (f.index % colourEvery === 0) kept.set(f.index, { width: f.width, height: f.height, data: f.data.slice() });
      yield f;
    }
  }
  const clip = await detectClip(keepingSome(), input.detector, {
    every: input.keyframeEvery,
    signal: input.signal,
    onProgress: (read) => input.progress(read, total),
  });
  const tracks = trackObjects(clip.detections, clip.frameCount, clip.frameSize);
  const selection = selectTracks(input.expression, tracks, {
    frameWidth: size.width,
    frameHeight: size.height,
    // Only frames still held can be judged: a view of the track seen in those alone.
    colourOf: (t) => trackColour({ ...t, boxes: t.boxes.map((b, f) => (kept.has(f) ? b : null)) }, (f) => kept.get(f))?.name ?? null,
  });
  const sx = video.displayWidth / size.width;
  const sy = video.displayHeight / size.height;
  return {
    matched: selection.matched,
    explanation: selection.explanation,
    tracks: tracks.map((t) => ({ ...t, boxes: t.boxes.map((b) => b && scaleBox(b, sx, sy)) })),
    chosen: selection.selected.map((t) => t.id),
  };
}

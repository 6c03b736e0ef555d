import { decodeFrames } from '../media/decode';
import type { Box, RgbImage, Track } from './types';
import { selectTracks, trackColour } from './expression';
import { detectClip } from './track/detectClip';
import { trackObjects } from './track/trackObjects';
import { detectionSize, type GroundingInput } from './grounding';

/**
 * The Find step's pass: like grounding.ts (same decode size, detector, tracker and judgement, so
 * a render started from a preview finds the same tracks with the same ids), but it keeps every
 * track, with which ones the words chose, so the user can see the others and click to change the
 * choice. Detection is deterministic, so the ids a preview shows name the same objects when the
 * render runs it again (RemovalTarget.tracks).
 */

/** Frames kept for colour judgement (as grounding.ts). */
const COLOUR_FRAMES = 48;

export interface FoundObjects {
  matched: boolean;
  explanation: string;
  /** Every track, boxes in source pixels (display orientation). */
  tracks: Track[];
  /** Ids of the tracks the words chose. */
  chosen: number[];
}

function scaleBox(b: Box, sx: number, sy: number): Box {
  return { x: b.x * sx, y: b.y * sy, width: b.width * sx, height: b.height * sy };
}

export async function findObjects(input: GroundingInput): Promise<FoundObjects> {
  const video = input.media.video!;
  const total = input.range.end - input.range.start;
  const size = detectionSize(video.displayWidth, video.displayHeight);
  const colourEvery = input.keyframeEvery * Math.max(1, Math.ceil(total / input.keyframeEvery / COLOUR_FRAMES));
  const kept = new Map<number, RgbImage>();
  const frames = decodeFrames(input.media, { range: input.range, ...size, signal: input.signal, ffmpeg: input.ffmpeg });
  async function* keepingSome() {
    for await (const f of frames) {
      if (f.index % colourEvery === 0) kept.set(f.index, { width: f.width, height: f.height, data: f.data.slice() });
      yield f;
    }
  }
  const clip = await detectClip(keepingSome(), input.detector, { every: input.keyframeEvery, signal: input.signal, onProgress: (read) => input.progress(read, total) });
  const tracks = trackObjects(clip.detections, clip.frameCount, clip.frameSize);
  const selection = selectTracks(input.expression, tracks, {
    frameWidth: size.width,
    frameHeight: size.height,
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

import { decodeFrames } from '../media/decode';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import type { Frame, MediaInfo } from '../media/types';
import { LacunaError } from '../util/errors';
import { ClipScorer, type ClipScores } from './clipScorer';

/**
 * Scores a result clip against its ground truth (and the removal matte, when given) by decoding
 * the three in step: frames are held two at a time, so a long 4K clip costs two frames of memory.
 * The result must have the truth's size and frame count (a resized or trimmed result is not the
 * same shot, and scoring it anyway would mislead); the matte is scaled to the frames, and a
 * single-image matte covers every frame.
 */
export interface EvaluateOptions {
  /** Grow the matte's hole by this many pixels before scoring inside it. */
  maskGrow?: number;
  signal?: AbortSignal;
  ffmpeg?: FfmpegPaths;
  progress?: (done: number, total: number) => void;
}

export async function evaluateMedia(result: MediaInfo, truth: MediaInfo, matte: MediaInfo | null, options: EvaluateOptions = {}): Promise<ClipScores> {
  const tv = truth.video;
  const rv = result.video;
  if (!tv) throw new LacunaError('MEDIA_UNREADABLE', `${truth.path} has no picture`);
  if (!rv) throw new LacunaError('MEDIA_UNREADABLE', `${result.path} has no picture`);
  if (rv.displayWidth !== tv.displayWidth || rv.displayHeight !== tv.displayHeight) {
    throw new LacunaError('BAD_ARGUMENT', `the result is ${rv.displayWidth}x${rv.displayHeight} but the ground truth ${tv.displayWidth}x${tv.displayHeight}`, 'Score the result at the size of its ground truth.');
  }
  if (rv.frameCount !== tv.frameCount) {
    throw new LacunaError('BAD_ARGUMENT', `the result has ${rv.frameCount} frames but the ground truth ${tv.frameCount}`, 'Give the same range of frames for both.');
  }
  const mv = matte?.video;
  if (matte && !mv) throw new LacunaError('MEDIA_UNREADABLE', `the matte ${matte.path} has no picture`);
  if (mv && mv.frameCount !== 1 && mv.frameCount !== tv.frameCount) {
    throw new LacunaError('BAD_ARGUMENT', `the matte has ${mv.frameCount} frames but the ground truth ${tv.frameCount}`, 'Give a matte per frame, or one image for all frames.');
  }
  const size = { width: tv.displayWidth, height: tv.displayHeight };
  const common = { ...size, signal: options.signal, ffmpeg: options.ffmpeg };
  const results = decodeFrames(result, common);
  const truths = decodeFrames(truth, common);
  const mattes = matte ? decodeFrames(matte, { ...common, pixelFormat: 'gray' }) : null;
  const scorer = new ClipScorer({ maskGrow: options.maskGrow });
  let still: Frame | null = null;
  try {
    for (let t = 0; t < tv.frameCount; t++) {
      const [r, g] = await Promise.all([results.next(), truths.next()]);
      if (r.done || g.done) throw new LacunaError('MEDIA_UNREADABLE', `${r.done ? result.path : truth.path} ended after ${t} frames`);
      let m: Frame | null = null;
      if (mattes) {
        if (mv!.frameCount === 1 && still) m = still;
        else {
          const n = await mattes.next();
          if (n.done) throw new LacunaError('MEDIA_UNREADABLE', `the matte ${matte!.path} ended after ${t} frames`);
          m = still = n.value;
        }
      }
      scorer.add(r.value, g.value, m && { width: m.width, height: m.height, data: binarise(m.data) });
      options.progress?.(t + 1, tv.frameCount);
    }
  } finally {
    await Promise.all([results.return(undefined), truths.return(undefined), mattes?.return(undefined)]);
  }
  return scorer.finish();
}

/** Matte bytes ≥ 128 are the hole (as the removal reads a matte). */
function binarise(d: Uint8Array): Uint8Array {
  const out = new Uint8Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] >= 128 ? 255 : 0;
  return out;
}

import type { FfmpegPaths } from '../media/ffmpegLocator';
import type { DeliveryCodec, FrameRange, MediaInfo } from '../media/types';
import type { TakeParams } from '../project/schema';

/**
 * The one interface both removal engines implement: LGVI (diffusion, ONNX pack, GPU-bound) and
 * Lite (detector + tracker + video fill, CPU). The job system, the CLI, the app and render-farm
 * workers talk only to this, so a third engine (LGVI-I's chat removal, a cloud engine) is a new
 * implementation, not a change to any of them.
 *
 * An engine reads the source range, decides what to remove, writes the finished take (and its
 * matte) at the source's resolution, rate and audio, and says what it did in words. Pixels it
 * does not remove stay bit-exact (unless the user asked for the reference's full-frame output).
 */

/** What to remove: words, a matte the user drew elsewhere, or a chat request (LGVI-I). */
export type RemovalTarget =
  /**
   * `tracks`: the objects chosen in a Find preview (RemovalEngine.find), by id, when the user
   * changed what the words chose by clicking; the engine removes exactly those. Engines whose
   * mask comes from the model itself (LGVI) use them to bound where the result is composited.
   */
  | { kind: 'expression'; text: string; tracks?: readonly number[] }
  /** White (or any non-zero) = remove; a video or image sequence aligned with the source range. */
  | { kind: 'mask'; matte: MediaInfo }
  /** A chat request (LGVI-I), with the turns before it, which its language model reads too. */
  | { kind: 'chat'; message: string; history?: readonly { role: 'user' | 'assistant'; text: string }[] };

export type RemovalTargetKind = RemovalTarget['kind'];

/** Settings every engine honours; the rest are the engine's own, validated by it. */
export interface RemovalSettings {
  seed: number;
  /** Grow the removal mask by this many source pixels (covers shadows, motion blur, halos). */
  maskDilate: number;
  /** Soften the composite edge over this many source pixels, inside the dilated mask. */
  maskFeather: number;
  /** Replace every pixel with the engine's output (the LGVI reference's behaviour), not only the mask. */
  fullFrame: boolean;
  /** Engine-specific (LGVI: steps, guidance, scheduler, window, overlap, stride; Lite: working size…). */
  engine: Record<string, unknown>;
}

export interface RemovalInput {
  /** The probed source (a file or an image sequence). */
  media: MediaInfo;
  /** Source frames to process, half-open. */
  range: FrameRange;
  target: RemovalTarget;
  settings: RemovalSettings;
  output: {
    /** The take to write (written atomically: temp file, then rename). */
    file: string;
    codec: DeliveryCodec;
    /** Where to write the removal matte (grey video, white = removed), if wanted. */
    matteFile?: string;
  };
}

export interface RemovalContext {
  /** Fires on cancel: stop within one frame or step, leave no temp files. */
  signal: AbortSignal;
  progress(stage: string, done: number, total: number): void;
  warn(message: string): void;
  ffmpeg: FfmpegPaths;
}

export interface RemovalOutcome {
  /**
   * False when nothing matched the target (no giraffe in the clip): nothing is written and the
   * clip stays as it is; `explanation` says why.
   */
  changed: boolean;
  /** What was removed, in the user's words ("matched 1 of 2 birds: the left one"). */
  explanation: string;
  /** What made the take, for the project (engine, expression, seed, pack…). */
  params: TakeParams;
  /** Whether `output.matteFile` was written. */
  matteWritten: boolean;
}

/** One object a Find preview shows: its track over the range, boxes in source pixels (null where unseen). */
export interface FoundTrack {
  id: number;
  label: string;
  score: number;
  chosen: boolean;
  boxes: ({ x: number; y: number; width: number; height: number } | null)[];
}

export interface FindResult {
  matched: boolean;
  /** As a removal would say it ("matched 1 of 2 birds: the left one"). */
  explanation: string;
  tracks: FoundTrack[];
}

export interface RemovalEngine {
  /**
   * The Find step: what the words would remove, and every other object found, without filling
   * or writing anything. Optional: engines without a separate grounding stage do not offer it.
   */
  find?(input: Pick<RemovalInput, 'media' | 'range'> & { text: string }, ctx: Omit<RemovalContext, 'warn'>): Promise<FindResult>;
  /**
   * An engine with a language model of its own (LGVI-I): answers a chat request on the range's
   * first frame without removing anything, with the instruction it would remove by (null: none).
   * The same request, history and seed as a removal's give the same answer.
   */
  converse?(
    input: Pick<RemovalInput, 'media' | 'range'> & { message: string; history: readonly { role: 'user' | 'assistant'; text: string }[]; seed: number },
    ctx: Pick<RemovalContext, 'signal' | 'ffmpeg'>,
  ): Promise<{ answer: string; instruction: string | null }>;
  /** Stable id, as in TakeParams.engine: 'lite', 'lgvi'. */
  readonly id: string;
  readonly label: string;
  /** One sentence for the Remove dialog and `lacuna remove --help`. */
  readonly description: string;
  /** 'gpu' engines run one at a time across the app (job system's resource class). */
  readonly resource: 'cpu' | 'gpu';
  /** The targets it can act on; others are refused before any work starts. */
  readonly targets: readonly RemovalTargetKind[];
  /**
   * Does the removal. Models load on the first call, never at construction: the app lists
   * engines at startup and must not pay for loading them.
   */
  remove(input: RemovalInput, ctx: RemovalContext): Promise<RemovalOutcome>;
}

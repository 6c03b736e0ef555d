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
  | {
      kind: 'expression';
      text: string;
      tracks?: readonly number[];
      /**
       * For engines without a Find of their own (LGVI): per frame of the range, the boxes (source
       * pixels, already grown) of the objects picked in a Find preview made by another engine's
       * grounding; the composite may change pixels inside them only.
       */
      bounds?: readonly (readonly BoundBox[])[];
    }
  /** White (or any non-zero) = remove; a video or image sequence aligned with the source range. */
  | { kind: 'mask'; matte: MediaInfo }
  /** A chat request (LGVI-I), with the turns before it, which its language model reads too. */
  | { kind: 'chat'; message: string; history?: readonly { role: 'user' | 'assistant'; text: string }[] };

/** A rectangle in source pixels. */
export interface BoundBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

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

/** One of an engine's own settings as the Remove dialog draws it (RemovalEngine.settingsForm). */
export interface EngineField {
  key: string;
  label: string;
  /** The value the engine would use: the one asked for, or its (pack's) default. */
  value: number | string | boolean;
  kind: 'number' | 'choice';
  min?: number;
  max?: number;
  step?: number;
  options?: { value: string; label: string }[];
  /** Fixed by the model (shown, not editable). */
  fixed?: boolean;
  help?: string;
}

/** An engine's settings for the dialog: fields with values resolved, composite choices, memory. */
export interface EngineForm {
  fields: EngineField[];
  /** The composite masks offered, each with one line on what it does (none: the engine has no choice). */
  composites: { value: 'union' | 'head' | 'difference' | 'full'; label: string; explanation: string }[];
  /** What one window needs in device memory with these settings, in sentences. */
  memory: string[];
  /** What the job's memory plan will do with these settings on this machine's device (LGVI). */
  memoryPlan?: MemoryPlanForecast;
}

/** The memory plan's decision, said before the job. */
export interface MemoryPlanForecast {
  device: string;
  precision: 'fp32' | 'fp16';
  freeBytes: number | null;
  decision: string;
  fits: boolean;
}

export interface RemovalEngine {
  /** The model pack folder the engine runs (LGVI), so a dialog can choose among several packs. */
  readonly packDir?: string;
  /**
   * The engine's own settings as the Remove dialog shows them, resolved against its defaults
   * without loading any model; a setting it refuses throws BAD_ARGUMENT worded for the dialog.
   */
  settingsForm?(settings: Readonly<Record<string, unknown>>): Promise<EngineForm>;
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

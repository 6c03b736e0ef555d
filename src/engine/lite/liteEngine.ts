import { decodeFrames } from '../media/decode';
import { createDecodeThread, type DecodeThread } from '../media/framesOnThread';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { takeEncoding } from '../media/takeEncoding';
import type { Frame, FrameRange, MediaInfo } from '../media/types';
import { blendWeights } from '../removal/blendWeights';
import { planWindows } from '../removal/windowPlan';
import type { RemovalContext, RemovalEngine, RemovalInput, RemovalOutcome } from '../removal/removalEngine';
import type { TakeParams } from '../project/schema';
import type { PlannedWindow, WindowPlan } from '../removal/windowPlan';
import { encodeFilledTake } from './encodeFilledTake';
import { OutputBuffers } from './fill/outputBuffers';
import { FrameFold, type FilledFrame, type FilledWindow } from './frameFold';
import { windowOutputs } from './windowOutputs';
import { readAhead } from '../util/readAhead';
import { additionsOf, describeAdditions, noAdditions, sumAdditions } from './fillAdditions';
import { LacunaError, throwIfAborted } from '../util/errors';
import type { Detector, DetectorOptions } from './detect/createDetector';
import { createSharedDetector } from './detect/sharedDetector';
import { parseExpression, splitShadowClause } from './expression';
import { alignClipAtScale, shrunkCopies } from './fill/clipAlignmentAtScale';
import { boxesImage, boxesMask } from './fill/distractors';
import { fillClip, fillClipOnThreads, type OpenedWindow } from './fill/fillClip';
import { createFillThreads, defaultFillThreads, type FillThreads } from './fill/fillThreads';
import { createFillWindowPool, openFillWindow, type FillWindowPool } from './fill/fillWindow';
import { workingSize } from './fill/resample';
import { trackMasksOnThreads } from './mask/trackMasksOnThreads';
import { groundExpression, type Grounding } from './grounding';
import { findObjects, type GroundingInput } from './findObjects';
import { parseLiteSettings, type LiteSettings } from './liteSettings';
import { masksFromMatte } from './mask/matteInput';
import { buildTrackMasks } from './mask/trackMasks';
import { createPersonSegmenter, type PersonSegmenter, type SegmenterOptions } from './segment/createPersonSegmenter';
import { personSoftMasks } from './segment/personSoftMasks';
import type { GrayImage, RgbImage, Track } from './types';
import type { ClipAlignment, PairMemo, PairMotion } from './fill/alignment';

export type { FilledWindow } from './frameFold';

/**
 * Lite: the offline default removal engine, the paper's multi-stage baseline built from parts that
 * run on two CPU cores — a COCO detector shipped in an npm package, a tracker, a grammar for the
 * words, and a video fill that copies hidden background from other frames before inventing any.
 *
 * Two passes over the source: a small one to find the objects (grounding.ts), then windows of
 * frames at source resolution that are masked, filled, cross-faded where windows overlap, and
 * streamed to the encoder with the matte beside them. Pixels outside the mask are the source's
 * bytes, exactly.
 */

export interface LiteEngineOptions {
  detector?: DetectorOptions;
  segmenter?: SegmenterOptions;
  /** Worker threads the fill shares its frames with (default: one fewer than the cores; 0 = the fill on the calling thread only). */
  fillThreads?: number;
}

/** Where the masks of a window come from. */
type MaskSource =
  /**
   * People are narrowed from their boxes by a segmenter (`segmenter` set when any track is a person);
   * `others` are the objects not chosen, which the fill must not copy as background.
   */
  | { kind: 'tracks'; tracks: Track[]; others: Track[]; segmenter?: PersonSegmenter }
  | { kind: 'matte'; matte: MediaInfo; frameOf: (clipFrame: number) => number };

/**
 * What the first pass decided, in a form that can be written to shared storage and read back by
 * another process (a render-farm chunk worker): the tracks to remove (plain JSON), or that a matte
 * drives the masks (the matte itself comes from the request, with each machine's own paths).
 */
export type LiteGrounding =
  | { matched: false; explanation: string; params: TakeParams }
  | { matched: true; explanation: string; params: TakeParams; tracks: Track[] | null; others?: Track[] };

/**
 * Lite's engine, and its two passes as separate steps so a render farm can split the second
 * across machines: `ground` once per take, then `fillWindows` for any run of the window plan's
 * windows, each window independent of the others given the grounding. Folding the windows'
 * frames with `FrameFold` in window order gives the same frames as `remove`, bit for bit.
 */
export interface LiteEngine extends RemovalEngine {
  ground(input: RemovalInput, ctx: RemovalContext): Promise<LiteGrounding>;
  /** Masks and fills the given windows of `liteWindowPlan(input)`, in order. */
  fillWindows(input: RemovalInput, grounding: Extract<LiteGrounding, { matched: true }>, windows: readonly number[], ctx: RemovalContext): AsyncGenerator<FilledWindow>;
}

export function createLiteEngine(options: LiteEngineOptions = {}): LiteEngine {
  let detector: Detector | null = null;
  let segmenter: PersonSegmenter | null = null;
  const threadCount = options.fillThreads ?? defaultFillThreads();
  let fillThreads: FillThreads | null = null;
  /** The fill's threads, started on first use (ground() starts them so they are ready by the fill). */
  const threads = (): FillThreads | null => (threadCount > 0 ? (fillThreads ??= createFillThreads(threadCount)) : null);
  let decodeThread: DecodeThread | null = null;
  /** Where the windows are decoded: on a thread of their own where the fill has threads (the read-ahead then really reads ahead). */
  const windowDecoder = (): DecodeThread | null => (threadCount > 0 ? (decodeThread ??= createDecodeThread()) : null);

  async function ground(input: RemovalInput, ctx: RemovalContext): Promise<LiteGrounding> {
    const settings = liteSettingsOf(input);
    const video = input.media.video;
    if (!video) throw new LacunaError('MEDIA_UNREADABLE', `${input.media.path} has no picture to remove anything from`);
    threads()?.warm();
    const total = input.range.end - input.range.start;
    const params = {
      engine: 'lite',
      ...(input.target.kind === 'expression' && { expression: input.target.text }),
      extra: {
        // Lite's detector (tfjs, wasm or cpu backend) and its fill run on the CPU.
        provider: 'cpu',
        maskDilate: input.settings.maskDilate,
        maskFeather: input.settings.maskFeather,
        ...settings,
        ...(input.target.kind === 'expression' && input.target.tracks && { chosenTracks: [...input.target.tracks] }),
      },
    };
    if (input.target.kind === 'expression') {
      // The words are checked before any decoding: a typo fails at once.
      const expression = parseExpression(splitShadowClause(input.target.text).text);
      detector ??= createSharedDetector(options.detector);
      const chosenTracks = input.target.tracks;
      const groundingInput = groundingInputFor(input, expression, detector, settings, ctx);
      // Tracks chosen in a Find preview (words and clicks combined) replace the words' own choice.
      const grounding = chosenTracks ? await groundChosen(groundingInput, chosenTracks) : await groundExpression(groundingInput);
      if (!grounding.matched) return { matched: false, explanation: grounding.explanation, params };
      return { matched: true, explanation: grounding.explanation, params, tracks: grounding.tracks, others: grounding.others ?? [] };
    }
    if (input.target.kind === 'mask') {
      await ensureMatteNotEmpty(matteSource(input), total, ctx);
      return { matched: true, explanation: `filled the matte's region over ${total} frames`, params, tracks: null };
    }
    throw new LacunaError('UNSUPPORTED', 'Lite cannot follow a chat request', 'Describe the object instead ("remove the man on the left"), or use LGVI-I.');
  }

  function maskSource(input: RemovalInput, grounding: Extract<LiteGrounding, { matched: true }>): MaskSource {
    if (!grounding.tracks) return matteSource(input);
    const people = grounding.tracks.some((t) => t.label === 'person');
    if (people) segmenter ??= createPersonSegmenter(options.segmenter);
    return { kind: 'tracks', tracks: grounding.tracks, others: grounding.others ?? [], ...(people && segmenter && { segmenter }) };
  }

  /** Starts decoding a window of the plan at the working size (on the decode thread where there is one); `signal` stops it. */
  function readPlanned(input: RemovalInput, w: Pick<PlannedWindow, 'start' | 'end'>, size: { width: number; height: number }, ctx: RemovalContext, signal: AbortSignal): Promise<Frame[]> {
    const pending = readWindow(input.media, { start: input.range.start + w.start, end: input.range.start + w.end }, size, { ...ctx, signal }, false, windowDecoder());
    pending.catch(() => undefined); // awaited when its window comes; a failure after the removal stops is of no interest
    return pending;
  }

  /**
   * Window `w`'s frames, given the frames of the window `held` before it: the frames the two share
   * are taken from it (consecutive windows share a third to a half of their frames, and decoding
   * them again cost ffmpeg's time and hundreds of megabytes of fresh buffers a window), and only
   * the rest is decoded. The frames are what reading `w` whole gives: the same pictures, indexed
   * from w's first frame.
   */
  function readAfter(input: RemovalInput, w: PlannedWindow, held: { window: PlannedWindow; frames: Frame[] }, size: { width: number; height: number }, ctx: RemovalContext, signal: AbortSignal): Promise<Frame[]> {
    const h = held.window;
    const sharedEnd = Math.min(w.end, h.end);
    if (w.start < h.start || sharedEnd <= w.start || held.frames.length !== h.end - h.start) return readPlanned(input, w, size, ctx, signal);
    const kept = held.frames.slice(w.start - h.start, sharedEnd - h.start).map((f, i) => ({ ...f, index: i }));
    if (sharedEnd === w.end) return Promise.resolve(kept);
    const rest = readPlanned(input, { start: sharedEnd, end: w.end }, size, ctx, signal);
    const all = rest.then((frames) => [...kept, ...frames.map((f) => ({ ...f, index: f.index + kept.length }))]);
    all.catch(() => undefined); // as readPlanned's
    return all;
  }

  /** The first window's read, started early; null where the plan itself is refused (the fill reports that, in order). */
  function readEarly(input: RemovalInput, ctx: RemovalContext, signal: AbortSignal): Promise<Frame[]> | null {
    try {
      const { plan, size } = liteWindowPlan(input);
      return readPlanned(input, plan.windows[0], size, ctx, AbortSignal.any([ctx.signal, signal]));
    } catch {
      return null;
    }
  }

  function fillWindows(input: RemovalInput, grounding: Extract<LiteGrounding, { matched: true }>, windows: readonly number[], ctx: RemovalContext): AsyncGenerator<FilledWindow> {
    return fillWindowsFrom(input, grounding, windows, ctx, null);
  }

  /** fillWindows, with the first window's frames already being read (`first`: remove() starts them during the first pass). */
  async function* fillWindowsFrom(
    input: RemovalInput,
    grounding: Extract<LiteGrounding, { matched: true }>,
    windows: readonly number[],
    ctx: RemovalContext,
    first: Promise<Frame[]> | null,
    /** Memory for the filled frames and masks, handed back by whoever writes them out. */
    outputs?: OutputBuffers,
  ): AsyncGenerator<FilledWindow> {
    const settings = liteSettingsOf(input);
    const source = maskSource(input, grounding);
    const { plan, output, size } = liteWindowPlan(input);
    // Consecutive windows fill in the same working buffers; let go of them once the windows are done.
    const pool = createFillWindowPool();
    // Camera motion of the frames consecutive windows share is measured once.
    const pairs = new Map<number, PairMotion>();
    // The next window is decoded while this one is masked and filled (ffmpeg works on its own core
    // time, and the decode thread takes the frames off its pipe meanwhile).
    const reading = new AbortController();
    const readSignal = AbortSignal.any([ctx.signal, reading.signal]);
    const read = (k: number) => readPlanned(input, plan.windows[k], size, ctx, readSignal);
    let next = windows.length ? (first ?? read(windows[0])) : null;
    try {
      for (let n = 0; n < windows.length; n++) {
        const k = windows[n];
        throwIfAborted(ctx.signal, 'the removal');
        const w = plan.windows[k];
        // The window's own frames (and its share of the cross-fades) are filled; all are sources.
        const targets = { start: output.windows[k].start - w.start, end: output.windows[k].end - w.start };
        const frames = await next!;
        next = n + 1 < windows.length ? readAfter(input, plan.windows[windows[n + 1]], { window: w, frames }, size, ctx, readSignal) : null;
        const lanes = threads();
        const found = await windowMasks(source, frames, { pairs, start: w.start }, settings, input.settings.maskDilate, ctx, lanes ? { lanes, pool } : undefined);
        let masks = found.masks.slice(targets.start, targets.end);
        let result: RgbImage[] = frames.slice(targets.start, targets.end);
        const additions = noAdditions();
        try {
          if (found.masks.some((m) => m.data.some((v) => v !== 0))) {
            const fillOptions = {
              maxWorkingSide: Math.min(settings.workingSide, ALIGN_SIDE),
              feather: input.settings.maskFeather,
              signal: ctx.signal,
              withShadow: settings.withShadow,
              ...(settings.edgeGrow !== undefined && { edgeGrow: settings.edgeGrow }),
              ...(found.alignment && { alignment: found.alignment }),
              ...(found.exclude && { exclude: found.exclude }),
              pool,
              targets,
              ...(outputs && { outputs }),
            };
            const fill = lanes ? await fillClipOnThreads(frames, found.masks, fillOptions, lanes, found.opened) : fillClip(frames, found.masks, fillOptions);
            result = fill.frames;
            masks = fill.masks;
            sumAdditions(additions, additionsOf(fill.report, frames.length));
          } else if (found.opened) {
            // Nothing to fill in this window: its buffers go back for the next one, so the masks
            // handed on (which may be the window's own, painted on the threads) are copies.
            masks = masks.map((m) => ({ ...m, data: Uint8Array.from(m.data) }));
            pool.give(found.opened.transfer);
          }
        } finally {
          // However the window ends (a cancel, a failure), the threads let go of its buffers.
          if (found.opened) lanes?.release(found.opened.transfer);
        }
        const sources = frames.slice(targets.start, targets.end);
        yield { index: k, frames: sources.map((f, i) => ({ frame: { ...f, data: result[i].data }, mask: masks[i], source: f.data })), additions };
      }
    } finally {
      reading.abort();
      pool.clear();
    }
  }

  return {
    id: 'lite',
    label: 'Lite',
    description: 'Finds what the words name with a COCO object detector and a tracker, and fills it from other frames (CPU; ships with Lacuna).',
    resource: 'cpu',
    targets: ['expression', 'mask'],
    ground,
    fillWindows,
    async settingsForm(raw) {
      const s = parseLiteSettings(raw);
      return {
        fields: [
          { key: 'workingSide', label: 'Working size (px)', value: s.workingSide, kind: 'number', min: 128, max: 4096, step: 1, help: 'Long side of the fill’s working picture; the composite is at full resolution.' },
        ],
        composites: [],
        memory: [],
      };
    },
    async find(input, ctx) {
      const settings = parseLiteSettings({});
      const expression = parseExpression(splitShadowClause(input.text).text);
      detector ??= createSharedDetector(options.detector);
      const found = await findObjects(groundingInputFor(input, expression, detector, settings, ctx));
      const chosen = new Set(found.chosen);
      return {
        matched: found.matched,
        explanation: found.explanation,
        tracks: found.tracks.map((t) => ({ id: t.id, label: t.label, score: t.score, chosen: chosen.has(t.id), boxes: t.boxes })),
      };
    },
    async remove(input, ctx) {
      // The first window is decoded while the first pass looks for the objects: the fill can start
      // the moment the pass ends (it waited about a second for its frames at 1080p). Only with
      // the decode thread, and dropped if the pass fails or finds nothing.
      const early = new AbortController();
      const first = threadCount > 0 && input.media.video ? readEarly(input, ctx, early.signal) : null;
      let grounding: LiteGrounding;
      try {
        grounding = await ground(input, ctx);
      } catch (e) {
        early.abort();
        throw e;
      }
      if (!grounding.matched) {
        early.abort();
        return { changed: false, explanation: grounding.explanation, params: grounding.params, matteWritten: false };
      }
      const all = liteWindowPlan(input).plan.windows.map((_, k) => k);
      const added = noAdditions();
      // The filled frames' memory is lent, and handed back once folded into another or encoded.
      const outputs = new OutputBuffers();
      const free = (data: Uint8Array) => outputs.give(data);
      async function* counted(signal: AbortSignal): AsyncGenerator<FilledWindow> {
        for await (const w of fillWindowsFrom(input, grounding as Extract<LiteGrounding, { matched: true }>, all, { ...ctx, signal }, first, outputs)) {
          if (w.additions) sumAdditions(added, w.additions);
          yield w;
        }
      }
      try {
        // The next window fills while the encoders take this one's frames (readAhead.ts).
        await encodeFilledTake(input, (signal) => foldWindows(input, readAhead(counted(signal)), ctx, free), ctx, free);
      } finally {
        early.abort(); // a render that failed before its first window leaves no read behind
        outputs.clear();
      }
      const explanation = grounding.explanation + describeAdditions(added, liteSettingsOf(input).withShadow);
      return { changed: true, explanation, params: grounding.params, matteWritten: Boolean(input.output.matteFile) } satisfies RemovalOutcome;
    },
  };
}

/** What the first pass reads: the range, the words, the detector, how often it looks. */
function groundingInputFor(
  input: { media: MediaInfo; range: FrameRange },
  expression: GroundingInput['expression'],
  detector: Detector,
  settings: LiteSettings,
  ctx: Pick<RemovalContext, 'signal' | 'ffmpeg' | 'progress'>,
): GroundingInput {
  const total = input.range.end - input.range.start;
  return {
    media: input.media,
    range: input.range,
    expression,
    detector,
    keyframeEvery: settings.keyframeEvery ?? (total <= 48 ? 1 : 2),
    signal: ctx.signal,
    ffmpeg: ctx.ffmpeg,
    progress: (done: number, all: number) => ctx.progress('finding objects', done, all),
  };
}

function matteSource(input: RemovalInput): Extract<MaskSource, { kind: 'matte' }> {
  if (input.target.kind !== 'mask') throw new Error('matteSource: the target is not a matte');
  return { kind: 'matte', matte: input.target.matte, frameOf: matteAlignment(input.target.matte, input.media, input.range) };
}

/**
 * The windows Lite cuts a removal's range into (`plan`: the frames each window sees), the frames
 * each fills and hands on (`output`, windowOutputs.ts), the blend weights of those, and the size it
 * works at.
 */
export function liteWindowPlan(input: Pick<RemovalInput, 'media' | 'range' | 'settings' | 'output'>): {
  plan: WindowPlan;
  output: WindowPlan;
  weights: Float64Array[];
  size: { width: number; height: number };
} {
  const settings = parseLiteSettings(input.settings.engine);
  const total = input.range.end - input.range.start;
  const encoding = takeEncoding(input.media, input.range, input.output.codec);
  const window = Math.min(settings.window, total);
  // At most two windows cover a frame, so a cross-fade is between two fills.
  const overlap = Math.min(settings.overlap, Math.floor(window / 2));
  const plan = planWindows(total, { window, overlap, stride: 1 });
  const output = windowOutputs(plan, overlap);
  return { plan, output, weights: blendWeights(output), size: { width: encoding.options.width, height: encoding.options.height } };
}

/**
 * How matte frames line up with the clip: a single image covers every frame; a matte as long as
 * the source is aligned with the source (frame for frame); one as long as the range, with the range.
 */
function matteAlignment(matte: MediaInfo, media: MediaInfo, range: FrameRange): (clipFrame: number) => number {
  const count = matte.video?.frameCount ?? 0;
  const total = range.end - range.start;
  if (!matte.video) throw new LacunaError('BAD_ARGUMENT', `the matte ${matte.path} has no picture`);
  if (count === 1) return () => 0;
  if (count === media.video!.frameCount) return (f) => range.start + f;
  if (count === total) return (f) => f;
  throw new LacunaError(
    'BAD_ARGUMENT',
    `the matte has ${count} frames, but the clip has ${media.video!.frameCount} and the range ${total}`,
    'Export the matte for the whole clip or for exactly the range, or give a single image for every frame.',
  );
}

/** Refuses a matte with nothing to remove in the range (a cheap look at a small copy), before any fill work. */
async function ensureMatteNotEmpty(source: Extract<MaskSource, { kind: 'matte' }>, total: number, ctx: { signal: AbortSignal; ffmpeg: FfmpegPaths }): Promise<void> {
  const range = { start: source.frameOf(0), end: source.frameOf(total - 1) + 1 };
  for await (const m of decodeFrames(source.matte, { range, width: 160, height: 90, pixelFormat: 'gray', signal: ctx.signal, ffmpeg: ctx.ffmpeg })) {
    if (m.data.some((v) => v >= 128)) return;
  }
  throw new LacunaError('BAD_ARGUMENT', `the mask is empty: ${source.matte.path} has no white pixel over the range`, 'Paint the region to remove white on black; check that the matte is not inverted.');
}

async function readWindow(media: MediaInfo, range: FrameRange, size: { width: number; height: number }, ctx: { signal: AbortSignal; ffmpeg: FfmpegPaths }, gray = false, thread: DecodeThread | null = null): Promise<Frame[]> {
  const options = { range, ...size, signal: ctx.signal, ffmpeg: ctx.ffmpeg, ...(gray && { pixelFormat: 'gray' as const }) };
  if (thread) return thread.readAll(media, options);
  const frames: Frame[] = [];
  for await (const f of decodeFrames(media, options)) frames.push(f);
  return frames;
}

/** Long side of the copies a window's camera motion is measured on (masks and fill share it). */
const ALIGN_SIDE = 480;

async function windowMasks(
  source: MaskSource,
  frames: RgbImage[],
  /** The window's first clip frame, and the pair motions earlier windows measured. */
  memo: PairMemo,
  settings: LiteSettings,
  dilate: number,
  ctx: { signal: AbortSignal; ffmpeg: FfmpegPaths },
  /** The fill's threads and window pool: with them, the masks' per-frame work runs on the threads, in the window the fill then uses. */
  threads?: { lanes: FillThreads; pool: FillWindowPool },
): Promise<{ masks: GrayImage[]; alignment?: ClipAlignment; exclude?: (Uint8Array | null)[]; opened?: OpenedWindow }> {
  const { width, height } = frames[0];
  const { start } = memo;
  if (source.kind === 'tracks') {
    const tracks = source.tracks.map((t) => ({
      ...t,
      boxes: t.boxes.slice(start, start + frames.length),
      predicted: t.predicted.slice(start, start + frames.length),
    }));
    const softMask = source.segmenter ? await personSoftMasks(source.segmenter, frames, tracks, { signal: ctx.signal }) : undefined;
    // Every object's box (chosen or not) is kept out of the motion estimate; measured once for masks and fill.
    const all = [...tracks, ...source.others.map((t) => ({ ...t, boxes: t.boxes.slice(start, start + frames.length) }))];
    const occupied = frames.map((_, f) => all.map((t) => t.boxes[f]));
    const pad = Math.max(2, Math.round(Math.max(width, height) / 200));
    const excludeOf = (f: number, into?: Uint8Array) => boxesMask(source.others.map((t) => t.boxes[start + f]), width, height, pad, into);
    const maskOptions = { dilate, useBackgroundEvidence: settings.backgroundEvidence, ...(softMask && { softMask }) };
    if (threads) {
      const opened = openFillWindow(frames, { withShadow: settings.withShadow, shared: true, pool: threads.pool, small: workingSize(width, height, ALIGN_SIDE) });
      try {
        // Painted straight into the window (no frame-sized mask per frame to allocate and copy in).
        const exclude = frames.map((_, f) => excludeOf(f, opened.window.exclude[f]));
        const { masks, alignment } = await trackMasksOnThreads(opened, frames, tracks, occupied, ALIGN_SIDE, maskOptions, threads.lanes, memo);
        return { masks, alignment, exclude, opened };
      } catch (e) {
        threads.lanes.release(opened.transfer);
        throw e;
      }
    }
    // One set of small copies serves the motion and the masks' background evidence (both at ALIGN_SIDE).
    const small = shrunkCopies(frames, ALIGN_SIDE);
    // Made only for the pairs the motion measures (earlier windows measured the ones they share).
    const alignment = alignClipAtScale(frames, (f) => boxesImage(occupied[f], width, height, 0), ALIGN_SIDE, small, memo);
    const masks = buildTrackMasks(frames, tracks, { ...maskOptions, alignment, smallFrames: small });
    return { masks, alignment, exclude: frames.map((_, f) => excludeOf(f)) };
  }
  const first = source.frameOf(start);
  const last = source.frameOf(start + frames.length - 1);
  const matte = await readWindow(source.matte, { start: first, end: last + 1 }, { width, height }, ctx, true);
  if (!matte.some((m) => m.data.some((v) => v >= 128))) return { masks: frames.map(() => ({ width, height, data: new Uint8Array(width * height) })) };
  return { masks: masksFromMatte(matte, { width, height, frameCount: frames.length }, { dilate }) };
}

/**
 * The fold of windows in plan order into finished frames: each frame the windows share is folded
 * (FrameFold) and handed on once no later window covers it.
 */
async function* foldWindows(input: RemovalInput, windows: AsyncIterable<FilledWindow>, ctx: RemovalContext, free?: (data: Uint8Array) => void): AsyncGenerator<FilledFrame> {
  const total = input.range.end - input.range.start;
  const { output, weights } = liteWindowPlan(input);
  const held = new Map<number, FrameFold>();
  let emitted = 0;
  for await (const { index: k, frames } of windows) {
    const w = output.windows[k];
    const next = output.windows[k + 1];
    for (let i = 0; i < frames.length; i++) {
      const at = w.start + i;
      const prior = held.get(at);
      if (prior) {
        prior.add(frames[i]);
        // Folded in: only the first window's frame and mask go on.
        free?.(frames[i].frame.data);
        free?.(frames[i].mask.data);
      } else held.set(at, new FrameFold(frames[i], weights[k][i]));
      if (next && at >= next.start) continue; // the next window fills this frame too
      const out = held.get(at)!;
      held.delete(at);
      ctx.progress('filling', ++emitted, total);
      yield out;
    }
  }
}

/** Lite's settings for a removal: the request's, plus a shadow asked for in words ("the dog and its shadow"). */
export function liteSettingsOf(input: Pick<RemovalInput, 'settings' | 'target'>): LiteSettings {
  const parsed = parseLiteSettings(input.settings.engine);
  const words = input.target.kind === 'expression' ? splitShadowClause(input.target.text) : null;
  return { ...parsed, withShadow: parsed.withShadow || Boolean(words?.withShadow) };
}

/** Grounding with the objects the user chose in a Find preview, by track id. */
async function groundChosen(input: GroundingInput, ids: readonly number[]): Promise<Grounding> {
  const found = await findObjects(input);
  const tracks = found.tracks.filter((t) => ids.includes(t.id));
  if (!tracks.length) {
    return { matched: false, explanation: 'none of the chosen objects is in this clip any more (it may have changed since the preview)', tracks: [], found: found.tracks.length };
  }
  const words = [...new Set(tracks.map((t) => t.label))].join(', ');
  const others = found.tracks.filter((t) => !ids.includes(t.id));
  return { matched: true, explanation: `removed ${tracks.length} chosen object${tracks.length === 1 ? '' : 's'} of ${found.tracks.length} found (${words})`, tracks, others, found: found.tracks.length };
}

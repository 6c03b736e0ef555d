// The clip-level removal: streams the source once at full size, samples it window by window,
// blends the windows, carries key frames to the frames between them, and composites each finished
// frame over its source frame while the take and its matte are encoded side by side. Sampling and
// compositing are two loops: while the model runs window k + 1 (on its own thread), window k's
// frames are composited and encoded, so on a GPU the host's work hides behind the model's.
//
// Memory: a couple of full-size source frames (compositing reads its own decoder in step);
// working-size images for the current window and the next one (decoded ahead); blended results
// only for frames a later window still touches, and at most one window of finished frames
// waiting to be composited.
import { decodeFrames } from '../../media/decode';
import { encodeFrames } from '../../media/encode';
import { takeEncoding } from '../../media/takeEncoding';
import type { FfmpegPaths } from '../../media/ffmpegLocator';
import type { DeliveryCodec, Frame, FrameRange, MediaInfo } from '../../media/types';
import { LacunaError } from '../../util/errors';
import type { LgviSampler } from '../sampler/lgviSampler';
import type { TextCondition } from '../sampler/textCondition';
import { toWorkingImage } from '../sampler/workingImage';
import { Compositor, type CompositedFrame } from './compositor';
import { FrameChannel } from '../../media/frameChannel';
import { AsyncChannel } from '../../util/asyncChannel';
import { KeyframeCarry, type CarriedFrame } from './keyframeCarry';
import { TemporalMaskSmoother, type MatteBound, type MatteOptions } from './removalMatte';
import { sampleKeyframes, type WindowMaskStats } from './sampleKeyframes';
import type { CompositeMask } from './differenceMask';
import type { WindowPlan } from '../../removal/windowPlan';

export interface RenderRemovalInput {
  readonly media: MediaInfo;
  readonly range: FrameRange;
  readonly plan: WindowPlan;
  readonly sampler: LgviSampler;
  readonly text: TextCondition;
  readonly matte: MatteOptions;
  /** Replace every pixel with the generated frame (the reference's output), not only the mask. */
  readonly fullFrame: boolean;
  /** The mask the composite goes through when not full frame (sampleKeyframes.ts; default the head's). */
  readonly composite?: CompositeMask;
  /** Per range frame, rectangles (source pixels) the composite must stay inside: objects picked in a Find preview. */
  readonly bounds?: readonly (readonly MatteBound[])[];
  readonly onMaskStats?: (stats: WindowMaskStats) => void;
  /** Where to write (the caller's staging paths: written atomically, moved into place by the caller). */
  readonly output: { readonly file: string; readonly codec: DeliveryCodec; readonly matteFile?: string };
  readonly signal: AbortSignal;
  readonly progress: (stage: string, done: number, total: number) => void;
  /** Something the user should know (a size rounded for the codec, a conformed frame rate). */
  readonly warn?: (message: string) => void;
  readonly ffmpeg?: FfmpegPaths;
}

export interface RenderRemovalResult {
  readonly frames: number;
  /** Per frame of the range, the fraction of the picture the mask head marked. */
  readonly coverage: readonly number[];
}

/** The range's frames in order, one at a time, for the compositing loop. */
class SourceStream {
  private readonly iterator: AsyncGenerator<Frame>;

  constructor(media: MediaInfo, range: FrameRange, size: { width: number; height: number }, signal: AbortSignal, ffmpeg: FfmpegPaths | undefined) {
    this.iterator = decodeFrames(media, { range, ...size, signal, ...(ffmpeg && { ffmpeg }) });
  }

  /** The next frame, which must be range-relative frame `index`. */
  async next(index: number): Promise<Frame> {
    const next = await this.iterator.next();
    if (next.done) throw new LacunaError('MEDIA_UNREADABLE', `the source ended early; frame ${index + 1} of the range was expected`);
    if (next.value.index !== index) throw new Error(`SourceStream: frame ${next.value.index} came where ${index} was expected`);
    return next.value;
  }

  async close(): Promise<void> {
    await this.iterator.return(undefined);
  }
}

/**
 * The key frames' working images from a decoder of their own, made up to `ahead` key frames
 * before the sampler asks: the next window's frames decode while the current one samples, instead
 * of the model waiting for them at each window's start.
 */
class WorkingImages {
  private readonly channel: AsyncChannel<Float32Array>;
  private readonly reader: AsyncIterator<Float32Array>;
  private readonly producing: Promise<void>;
  private given = 0;

  constructor(media: MediaInfo, range: FrameRange, size: { width: number; height: number }, keyframes: readonly number[], working: { width: number; height: number }, ahead: number, signal: AbortSignal, ffmpeg: FfmpegPaths | undefined) {
    this.channel = new AsyncChannel<Float32Array>(Math.max(2, ahead));
    this.reader = this.channel[Symbol.asyncIterator]();
    const produce = async () => {
      let position = 0;
      for await (const frame of decodeFrames(media, { range, ...size, signal, ...(ffmpeg && { ffmpeg }) })) {
        if (frame.index !== keyframes[position]) continue;
        await this.channel.push(toWorkingImage(frame, working.width, working.height));
        if (++position === keyframes.length) break;
      }
      if (position < keyframes.length) throw new LacunaError('MEDIA_UNREADABLE', `the source ended early; frame ${keyframes[position] + 1} of the range was expected`);
      this.channel.end();
    };
    // A failure reaches the sampler through the channel; the promise itself is awaited by close().
    this.producing = produce().catch((e) => this.channel.fail(e));
  }

  /** Key frame `position`'s working image; positions are asked for in order. */
  async image(position: number): Promise<Float32Array> {
    if (position !== this.given) throw new Error(`WorkingImages: position ${position} asked for where ${this.given} was next`);
    const next = await this.reader.next();
    if (next.done) throw new Error(`WorkingImages: no image for key frame position ${position}`);
    this.given++;
    return next.value;
  }

  /** Stops the decoder (if the sampler stopped early) and waits for it to be gone. */
  async close(): Promise<void> {
    this.channel.close();
    await this.producing;
  }
}

export async function renderRemoval(input: RenderRemovalInput): Promise<RenderRemovalResult> {
  const { media, range, plan, sampler, signal } = input;
  const video = media.video;
  if (!video) throw new LacunaError('MEDIA_UNREADABLE', `${media.path} has no video stream`);
  // The take lines up with its source in the edit: rate, time base, colour, audio, timecode.
  const encoding = takeEncoding(media, range, input.output.codec);
  for (const w of encoding.warnings) input.warn?.(w);
  const { width, height } = encoding.options;
  const frameCount = range.end - range.start;
  if (plan.frameCount !== frameCount) throw new Error(`renderRemoval: plan for ${plan.frameCount} frames, range has ${frameCount}`);
  const { width: workW, height: workH } = sampler.settings;

  const take = new FrameChannel();
  const matte = input.output.matteFile ? new FrameChannel() : undefined;
  const encodeCommon = { ...encoding.options, overwrite: true, signal, ...(input.ffmpeg && { ffmpeg: input.ffmpeg }) };
  const encoders = [
    encodeFrames(take, { ...encodeCommon, output: input.output.file, codec: input.output.codec }),
    ...(matte && input.output.matteFile
      ? [encodeFrames(matte, { ...encodeCommon, audioFrom: undefined, output: input.output.matteFile, codec: 'prores_hq', pixelFormat: 'gray' })]
      : []),
  ];
  // Encoders that fail early must not leave unhandled rejections while the producer still runs.
  const settled = Promise.allSettled(encoders);

  // Two decoders of the same frames: one for the sampler's working images (running ahead), one
  // for compositing (in step with it). Decoding twice costs far less than holding the full-size
  // frames between the two (two windows of them: over a gigabyte at 4K).
  const source = new SourceStream(media, range, { width, height }, signal, input.ffmpeg);
  const images = new WorkingImages(media, range, { width, height }, plan.keyframes, { width: workW, height: workH }, plan.options.window, signal, input.ffmpeg);
  const coverage: number[] = [];
  let maskSize = { width: 0, height: 0 };
  // Finished frames go from the sampling loop to the compositing loop through a channel of one
  // window's frames, so window k is composited and encoded while window k + 1 samples (the model
  // runs on its own thread, pack/ortThread.ts, leaving this one free to do it).
  const finished = new AsyncChannel<{ frame: CarriedFrame; mask: Float32Array }>(Math.max(2, plan.options.window * plan.options.stride));

  const stopSampling = new AbortController();
  const samplingSignal = AbortSignal.any([signal, stopSampling.signal]);
  const sampling = async () => {
    const carry = new KeyframeCarry();
    const smoother = new TemporalMaskSmoother();
    let waiting: CarriedFrame | undefined;
    const keyframes = sampleKeyframes({
      plan,
      sampler,
      text: input.text,
      rangeStart: range.start,
      signal: samplingSignal,
      progress: input.progress,
      image: (position) => images.image(position),
      // Full frame replaces every pixel: no mask to measure beyond the head's, for the explanation.
      ...(input.composite && !input.fullFrame && { composite: input.composite }),
      ...(input.onMaskStats && { onMaskStats: input.onMaskStats }),
    });
    for await (const key of keyframes) {
      maskSize = { width: key.maskWidth, height: key.maskHeight };
      for (const f of carry.push(key)) {
        const smoothed = smoother.push(f.mask);
        if (smoothed && waiting) await finished.push({ frame: waiting, mask: smoothed });
        waiting = f;
      }
    }
    const last = smoother.flush();
    if (last && waiting) await finished.push({ frame: waiting, mask: last });
    finished.end();
  };

  const compositor = new Compositor(input.matte, input.fullFrame);
  const compositing = async () => {
    // Up to one frame per compositing thread in flight; they are encoded in order.
    const inFlight: Promise<CompositedFrame>[] = [];
    const encode = async (done: CompositedFrame) => {
      coverage.push(done.coverage);
      await Promise.all([take.push(done.frame), ...(matte ? [matte.push(done.alpha)] : [])]);
    };
    for await (const { frame, mask } of finished) {
      const composing = compositor.composite(await source.next(frame.frame), frame.rgb, workW, workH, mask, maskSize.width, maskSize.height, input.bounds && (input.bounds[frame.frame] ?? []));
      composing.catch(() => {}); // awaited in order below
      inFlight.push(composing);
      if (inFlight.length >= compositor.parallelism) await encode(await inFlight.shift()!);
    }
    while (inFlight.length > 0) await encode(await inFlight.shift()!);
    take.end();
    matte?.end();
  };

  try {
    // Either loop failing stops the other: a sampling error fails the channel, a compositing
    // error closes it and stops the sampler at its next step (not at the end of the window).
    const [sampled, composited] = await Promise.allSettled([
      sampling().catch((e) => (finished.fail(e), Promise.reject(e))),
      compositing().catch((e) => (stopSampling.abort(), Promise.reject(e))),
    ]);
    // The compositing error is the cause when both failed: the sampler was stopped because of it.
    if (composited.status === 'rejected') throw composited.reason;
    if (sampled.status === 'rejected') throw sampled.reason;
  } catch (e) {
    take.fail(e);
    matte?.fail(e);
    const results = await settled;
    await compositor.close();
    await images.close();
    await source.close();
    // An encoder that died first explains the failure better than "the consumer stopped".
    const encoderError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(e instanceof LacunaError));
    throw encoderError ? encoderError.reason : e;
  }
  await compositor.close();
  await images.close();
  await source.close();
  const results = await settled;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { frames: coverage.length, coverage };
}

// The clip-level removal: streams the source once at full size, samples it window by window,
// blends the windows, carries key frames to the frames between them, and composites each finished
// frame over its source frame while the take and its matte are encoded side by side.
//
// Memory: full-size source frames are held only from the first frame not yet composited to the
// last key frame of the current window (at most window x stride frames); working-size images only
// for the current window; blended results only for frames a later window still touches.
import { decodeFrames } from '../../media/decode';
import { encodeFrames } from '../../media/encode';
import { takeEncoding } from '../../media/takeEncoding';
import type { FfmpegPaths } from '../../media/ffmpegLocator';
import type { DeliveryCodec, Frame, FrameRange, MediaInfo } from '../../media/types';
import { LacunaError } from '../../util/errors';
import type { LgviSampler } from '../sampler/lgviSampler';
import type { TextCondition } from '../sampler/textCondition';
import { toWorkingImage } from '../sampler/workingImage';
import { compositeFrame } from './compositeFrame';
import { FrameChannel } from '../../media/frameChannel';
import { KeyframeCarry, type CarriedFrame } from './keyframeCarry';
import { TemporalMaskSmoother, sourceMatte, type MatteOptions } from './removalMatte';
import { sampleKeyframes } from './sampleKeyframes';
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

/** Pulls decoded frames on demand, holding full-size frames until composited. */
class SourceFrames {
  private readonly iterator: AsyncGenerator<Frame>;
  private readonly held = new Map<number, Frame>();
  private decoded = 0;

  constructor(media: MediaInfo, range: FrameRange, size: { width: number; height: number }, signal: AbortSignal, ffmpeg: FfmpegPaths | undefined) {
    this.iterator = decodeFrames(media, { range, ...size, signal, ...(ffmpeg && { ffmpeg }) });
  }

  /** Decodes up to and including range-relative frame `index`, handing each new frame to `onFrame`. */
  async readThrough(index: number, onFrame: (frame: Frame) => void): Promise<void> {
    while (this.decoded <= index) {
      const next = await this.iterator.next();
      if (next.done) throw new LacunaError('MEDIA_UNREADABLE', `the source ended after ${this.decoded} frames; frame ${index + 1} of the range was expected`);
      this.held.set(next.value.index, next.value);
      this.decoded++;
      onFrame(next.value);
    }
  }

  take(index: number): Frame {
    const frame = this.held.get(index);
    if (!frame) throw new Error(`SourceFrames: frame ${index} is not held`);
    this.held.delete(index);
    return frame;
  }

  async close(): Promise<void> {
    await this.iterator.return(undefined);
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

  const source = new SourceFrames(media, range, { width, height }, signal, input.ffmpeg);
  const carry = new KeyframeCarry();
  const smoother = new TemporalMaskSmoother();
  const coverage: number[] = [];
  let waiting: CarriedFrame | undefined;
  let maskSize = { width: 0, height: 0 };

  const emit = async (frame: CarriedFrame, mask: Float32Array) => {
    const src = source.take(frame.frame);
    const m = sourceMatte(mask, maskSize.width, maskSize.height, width, height, input.matte);
    coverage.push(m.coverage);
    const pushes = [take.push(compositeFrame(src, frame.rgb, workW, workH, m.alpha, m.region, input.fullFrame))];
    if (matte) pushes.push(matte.push({ ...src, channels: 1, data: m.alpha.data }));
    await Promise.all(pushes);
  };

  try {
    const keyframes = sampleKeyframes({
      plan,
      sampler,
      text: input.text,
      rangeStart: range.start,
      signal,
      progress: input.progress,
      image: async (position) => {
        let image: Float32Array | undefined;
        await source.readThrough(plan.keyframes[position], (frame) => {
          if (frame.index === plan.keyframes[position]) image = toWorkingImage(frame, workW, workH);
        });
        return image!;
      },
    });
    for await (const key of keyframes) {
      maskSize = { width: key.maskWidth, height: key.maskHeight };
      for (const f of carry.push(key)) {
        const smoothed = smoother.push(f.mask);
        if (smoothed && waiting) await emit(waiting, smoothed);
        waiting = f;
      }
    }
    const last = smoother.flush();
    if (last && waiting) await emit(waiting, last);
    take.end();
    matte?.end();
  } catch (e) {
    take.fail(e);
    matte?.fail(e);
    const results = await settled;
    await source.close();
    // An encoder that died first explains the failure better than "the consumer stopped".
    const encoderError = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(e instanceof LacunaError));
    throw encoderError ? encoderError.reason : e;
  }
  await source.close();
  const results = await settled;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { frames: coverage.length, coverage };
}

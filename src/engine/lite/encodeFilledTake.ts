import { encodeFrames } from '../media/encode';
import { FrameChannel } from '../media/frameChannel';
import { takeEncoding } from '../media/takeEncoding';
import type { Frame } from '../media/types';
import type { RemovalContext, RemovalInput } from '../removal/removalEngine';
import type { FilledFrame } from './frameFold';

/**
 * Encodes finished frames as the take (at the source's rate, colour, timecode and audio, see
 * takeEncoding) and their masks as the matte beside it, both streamed. The local render and the
 * render farm's join both end here, so the same frames give the same files.
 */
export async function encodeFilledTake(input: RemovalInput, frames: AsyncIterable<FilledFrame>, ctx: RemovalContext): Promise<void> {
  const encoding = takeEncoding(input.media, input.range, input.output.codec);
  for (const w of encoding.warnings) ctx.warn(w);
  const matte = input.output.matteFile ? new FrameChannel(2) : null;
  const { signal, ffmpeg } = ctx;
  const take = encodeFrames(
    (async function* (): AsyncGenerator<Frame> {
      try {
        for await (const out of frames) {
          await matte?.push({ ...out.frame, channels: 1, data: out.mask.data });
          yield out.frame;
        }
        matte?.end();
      } catch (e) {
        matte?.fail(e);
        throw e;
      }
    })(),
    { ...encoding.options, output: input.output.file, codec: input.output.codec, signal, ffmpeg },
  );
  const matteDone = matte
    ? encodeFrames(matte, { ...encoding.options, audioFrom: undefined, pixelFormat: 'gray', output: input.output.matteFile!, codec: 'prores_hq', signal, ffmpeg })
    : Promise.resolve(null);
  // Wait for both: a failed one stops the other, and neither may be left writing.
  const settled = await Promise.allSettled([take, matteDone]);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

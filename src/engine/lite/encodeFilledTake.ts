import { encodeTakeAndMatte } from '../media/encodeTakeAndMatte';
import { takeEncoding } from '../media/takeEncoding';
import type { RemovalContext, RemovalInput } from '../removal/removalEngine';
import type { Frame } from '../media/types';
import type { FilledFrame } from './frameFold';

/**
 * Encodes finished frames as the take (at the source's rate, colour, timecode and audio, see
 * takeEncoding) and their masks as the matte beside it, both streamed and failing together
 * (encodeTakeAndMatte). `produce` gets the signal that fires on cancel or when an encoder fails.
 * The local render and the render farm's join both end here, so the same frames give the same files.
 * `written` hears of each frame's picture and mask once its encoder has taken it (their memory is
 * free again: see OutputBuffers).
 */
export async function encodeFilledTake(
  input: RemovalInput,
  produce: (signal: AbortSignal) => AsyncIterable<FilledFrame>,
  ctx: RemovalContext,
  written?: (data: Uint8Array) => void,
): Promise<void> {
  const encoding = takeEncoding(input.media, input.range, input.output.codec);
  for (const w of encoding.warnings) ctx.warn(w);
  const writeMatte = Boolean(input.output.matteFile);
  const { signal, ffmpeg } = ctx;
  const handedBack = written && { onWritten: (f: Frame) => written(f.data) };
  await encodeTakeAndMatte(
    async function* (working) {
      for await (const out of produce(working)) {
        yield { take: out.frame, ...(writeMatte && { matte: { ...out.frame, channels: 1 as const, data: out.mask.data } }) };
      }
    },
    {
      signal,
      take: { ...encoding.options, output: input.output.file, codec: input.output.codec, ffmpeg, ...handedBack },
      ...(input.output.matteFile && {
        matte: { ...encoding.options, audioFrom: undefined, pixelFormat: 'gray' as const, output: input.output.matteFile, codec: 'prores_hq' as const, ffmpeg, ...handedBack },
      }),
    },
  );
}

// Child process for benchmarks: runs the engine's decode → identity → encode on one file and
// prints one JSON line with its duration and the peak RSS of this Node process (ffmpeg's own
// memory is in separate processes and not counted here).
//   engineTranscode.ts <input> <output> <codec> [native|rgb]
// native (default): transcode() itself, whose frames stay in the codec's own YUV.
// rgb: the same steps with packed RGB24 frames, as the removal engines run them (takeEncoding,
// decodeFrames at the take's size, encodeFrames converting back with the source's matrix, and
// the probe of the output transcode() also makes): the cost of the RGB frame interface.
import { decodeFrames } from '../src/engine/media/decode';
import { encodeFrames } from '../src/engine/media/encode';
import { probeMedia } from '../src/engine/media/probe';
import { checkedRange } from '../src/engine/media/sourceTimeline';
import { takeEncoding } from '../src/engine/media/takeEncoding';
import { transcode } from '../src/engine/media/transcode';
import type { DeliveryCodec } from '../src/engine/media/types';

const [input, output, codecArg, path = 'native'] = process.argv.slice(3);
const codec = codecArg as DeliveryCodec;
if (path !== 'native' && path !== 'rgb') throw new Error(`frame path must be native or rgb, got ${path}`);

async function rgbTranscode(): Promise<{ frames: number; warnings: string[] }> {
  const info = await probeMedia(input);
  const range = checkedRange(info, undefined);
  const { options: encoding, warnings } = takeEncoding(info, range, codec);
  const frames = decodeFrames(info, { range, width: encoding.width, height: encoding.height, pixelFormat: 'rgb24' });
  const result = await encodeFrames(frames, { ...encoding, pixelFormat: 'rgb24', output, codec, overwrite: true });
  await probeMedia(result.output);
  return { frames: result.frameCount, warnings };
}

const start = process.hrtime.bigint();
const result = path === 'rgb' ? await rgbTranscode() : await transcode(input, output, { codec, overwrite: true });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ frames: result.frames, seconds, maxRssKiB: process.resourceUsage().maxRSS, warnings: result.warnings }));

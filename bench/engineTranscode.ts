// Child process for benchmarks: runs the engine's decode → identity → encode on one file and
// prints one JSON line with its duration and the peak RSS of this Node process (ffmpeg's own
// memory is in separate processes and not counted here).
import { transcode } from '../src/engine/media/transcode';
import type { DeliveryCodec } from '../src/engine/media/types';

const [input, output, codec] = process.argv.slice(3);
const start = process.hrtime.bigint();
const result = await transcode(input, output, { codec: codec as DeliveryCodec, overwrite: true });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ frames: result.frames, seconds, maxRssKiB: process.resourceUsage().maxRSS, warnings: result.warnings }));

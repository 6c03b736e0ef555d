import { join } from 'node:path';
import { BENCH_DIR, benchClip } from './benchClips';
import { engineTranscode } from './engineRun';
import { round } from './p1TranscodeOverhead';

export const P2_GOAL = 1.2;

/**
 * P2: peak RSS of the Node process running decode → identity → encode on a 60 s vs a 10 s
 * 1080p clip: streaming means memory must not grow with length. Measured as the child's
 * process.resourceUsage().maxRSS; ffmpeg's own processes are not included (their memory is
 * bounded by the codec, not by us). DNxHR HQ keeps the 60 s run short: the encoder does not
 * change what the Node side holds.
 */
export async function runP2() {
  const codec = 'dnxhr_hq' as const;
  const short = await engineTranscode(await benchClip(10), join(BENCH_DIR, 'p2-10s.mov'), codec);
  const long = await engineTranscode(await benchClip(60), join(BENCH_DIR, 'p2-60s.mov'), codec);
  const ratio = long.maxRssMiB / short.maxRssMiB;
  return {
    name: 'P2 peak RSS (Node process) 60 s ÷ 10 s, 1080p25 + audio, DNxHR HQ',
    frames: { short: short.frames, long: long.frames },
    maxRssMiB: { short: round(short.maxRssMiB), long: round(long.maxRssMiB) },
    ffmpegRssIncluded: false,
    ratio: round(ratio),
    goal: P2_GOAL,
    pass: ratio <= P2_GOAL,
    wallSeconds: { short: round(short.transcodeSeconds), long: round(long.transcodeSeconds) },
  };
}

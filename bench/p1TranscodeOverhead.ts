import { join } from 'node:path';
import { colourTagArgs, effectiveColour } from '../src/engine/media/colourSpace';
import { audioCodecArgs, CODEC_PROFILES, containerArgs } from '../src/engine/media/deliveryCodecs';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { BENCH_DIR, benchClip } from './benchClips';
import { engineTranscode } from './engineRun';
import { measuredRun } from './measuredRun';

export const P1_GOAL = 1.3;

/**
 * P1: the engine's decode → identity → encode of a 1080p25 10 s clip with audio, divided by
 * ffmpeg's own transcode of the same clip to the same H.264 settings (libx264 medium CRF 18,
 * yuv420p, BT.709 tags, AAC 320k, MP4 faststart). The difference is what the engine's
 * RGB frame interface costs: YUV → RGB → YUV conversion and the pipes through Node.
 */
export async function runP1() {
  const input = await benchClip(10);
  const codec = 'h264' as const;
  const profile = CODEC_PROFILES[codec];
  const plainArgs = [
    '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-map', '0:v:0', '-map', '0:a:0',
    ...profile.encoderArgs, '-pix_fmt', profile.pixelFormat, ...colourTagArgs(effectiveColour({}, 1920, 1080)),
    ...audioCodecArgs('mp4'), ...containerArgs(codec, 'mp4'), join(BENCH_DIR, 'p1-ffmpeg.mp4'),
  ];
  const plain = await measuredRun(ffmpegPaths().ffmpeg, plainArgs);
  const engine = await engineTranscode(input, join(BENCH_DIR, 'p1-engine.mp4'), codec);
  const ratio = engine.transcodeSeconds / plain.wallSeconds;
  return {
    name: 'P1 engine transcode ÷ ffmpeg transcode, 1080p25 10 s + audio, H.264 (libx264 medium CRF 18)',
    frames: engine.frames,
    ffmpegWallSeconds: round(plain.wallSeconds),
    engineWallSeconds: round(engine.transcodeSeconds),
    ratio: round(ratio),
    goal: P1_GOAL,
    pass: ratio <= P1_GOAL,
    // Load-independent view: CPU of all processes on each side (the machine may be shared).
    ffmpegCpuSeconds: round(plain.cpuSeconds),
    engineCpuSeconds: round(engine.cpuSeconds),
    cpuRatio: round(engine.cpuSeconds / plain.cpuSeconds),
  };
}

export const round = (x: number) => Math.round(x * 1000) / 1000;

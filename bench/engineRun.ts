import { resolve } from 'node:path';
import type { DeliveryCodec } from '../src/engine/media/types';
import { measuredRun, type MeasuredRun } from './measuredRun';

export interface EngineRun extends MeasuredRun {
  frames: number;
  /** Seconds inside transcode() (no Node/tsx start-up). */
  transcodeSeconds: number;
  maxRssMiB: number;
}

/**
 * The engine's transcode in a fresh Node process (bench/engineTranscode.ts), measured from outside.
 * `frames`: 'native' runs transcode() (frames in the codec's YUV); 'rgb' the same decode → encode
 * through packed RGB24 frames, as the removal engines use them.
 */
export async function engineTranscode(input: string, output: string, codec: DeliveryCodec, frames: 'native' | 'rgb' = 'native'): Promise<EngineRun> {
  const run = await measuredRun(process.execPath, [resolve('bin/run-ts.mjs'), resolve('bench/engineTranscode.ts'), input, output, codec, frames]);
  const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { frames: number; seconds: number; maxRssKiB: number };
  return { ...run, frames: r.frames, transcodeSeconds: r.seconds, maxRssMiB: r.maxRssKiB / 1024 };
}

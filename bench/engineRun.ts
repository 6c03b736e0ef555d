import { resolve } from 'node:path';
import type { DeliveryCodec } from '../src/engine/media/types';
import { measuredRun, type MeasuredRun } from './measuredRun';

export interface EngineRun extends MeasuredRun {
  frames: number;
  /** Seconds inside transcode() (no Node/tsx start-up). */
  transcodeSeconds: number;
  maxRssMiB: number;
}

/** The engine's transcode in a fresh Node process (bench/engineTranscode.ts), measured from outside. */
export async function engineTranscode(input: string, output: string, codec: DeliveryCodec): Promise<EngineRun> {
  const run = await measuredRun(process.execPath, [resolve('bin/run-ts.mjs'), resolve('bench/engineTranscode.ts'), input, output, codec]);
  const r = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { frames: number; seconds: number; maxRssKiB: number };
  return { ...run, frames: r.frames, transcodeSeconds: r.seconds, maxRssMiB: r.maxRssKiB / 1024 };
}

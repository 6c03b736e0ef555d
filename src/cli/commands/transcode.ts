import type { Command } from 'commander';
import { basename, dirname, extname, join } from 'node:path';
import { parseFrameRange } from '../../engine/media/frameRange';
import { probeMedia } from '../../engine/media/probe';
import { transcode } from '../../engine/media/transcode';
import type { DeliveryCodec } from '../../engine/media/types';
import type { Rational } from '../../engine/util/rational';
import type { CliContext } from '../main';
import { codecOption, fpsOption } from '../options';
import { progressTracker } from '../progressTracker';

/** Container an editor expects for each codec when no output name is given. */
const DEFAULT_EXTENSION: Record<DeliveryCodec, string> = { h264: '.mp4', hevc: '.mp4', prores_hq: '.mov', dnxhr_hq: '.mov' };

/** `clip.mov` + prores_hq → `clip_prores_hq.mov` beside it (never the source itself). */
export function defaultOutputPath(input: string, codec: DeliveryCodec): string {
  const stem = basename(input, extname(input)).replace(/%0?\d*d/g, '').replace(/[._-]+$/, '') || 'sequence';
  return join(dirname(input), `${stem}_${codec}${DEFAULT_EXTENSION[codec]}`);
}

interface TranscodeCliOptions {
  output?: string;
  codec: DeliveryCodec;
  range?: string;
  fps?: Rational;
  overwrite?: boolean;
}

/** `lacuna transcode`: the engine's decode → encode path on one file, with progress. */
export function registerTranscode(program: Command, ctx: CliContext): void {
  program
    .command('transcode')
    .description('re-encode a clip (or a range of it) for editing or delivery, keeping rate, colour tags and audio')
    .argument('<media>', 'a video file, a folder of numbered images, or a pattern such as shots/%05d.png')
    .option('-o, --output <file>', 'output file (default: <name>_<codec>.mov/.mp4 beside the input)')
    .option('-c, --codec <codec>', 'prores_hq | dnxhr_hq (editing), h264 | hevc (delivery)', codecOption, 'prores_hq' as DeliveryCodec)
    .option('-r, --range <in-out>', 'frames "10-50" or timecodes "01:00:01:00-01:00:02:00" (see README)')
    .option('--fps <rate>', 'frame rate of an image sequence', fpsOption)
    .option('--overwrite', 'replace an existing output file (never the input)')
    .addHelpText('after', '\nExamples:\n  lacuna transcode A001_C002.mp4 --codec prores_hq\n  lacuna transcode plates/ --fps 24 -o plates.mov\n  lacuna transcode interview.mov -c h264 -r 120-480 -o selects.mp4')
    .action(async (media: string, opts: TranscodeCliOptions) => {
      const reporter = ctx.reporter();
      const info = await probeMedia(media, { fps: opts.fps, signal: ctx.signal });
      const range = opts.range ? parseFrameRange(opts.range, info) : undefined;
      const output = opts.output ?? defaultOutputPath(info.path, opts.codec);
      const progress = progressTracker('encoding', (e) => reporter.progress(e));
      const result = await transcode(info.source, output, {
        codec: opts.codec,
        range,
        info,
        overwrite: opts.overwrite,
        signal: ctx.signal,
        onProgress: progress,
      });
      for (const w of result.warnings) reporter.warn(w);
      reporter.result(
        { output: result.output, frames: result.frames, codec: opts.codec, range: range ?? null, info: result.info },
        () => `wrote ${result.output} (${result.frames} frames, ${opts.codec})`,
      );
    });
}

import type { Command } from 'commander';
import { locateFfmpeg } from '../../engine/media/ffmpegLocator';
import { runProcess } from '../../engine/util/runProcess';
import type { CliContext } from '../main';

/** `lacuna doctor`: what this install found (ffmpeg and where from), for bug reports. */
export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('show which ffmpeg/ffprobe Lacuna uses and where they came from')
    .action(async () => {
      const paths = locateFfmpeg();
      const { stdout } = await runProcess(paths.ffmpeg, ['-hide_banner', '-version'], { signal: ctx.signal });
      const version = stdout.toString().split('\n')[0] ?? '';
      const info = { node: process.version, platform: `${process.platform}-${process.arch}`, ffmpeg: paths, ffmpegVersion: version };
      ctx.reporter().result(info, () =>
        [
          `node      ${info.node} (${info.platform})`,
          `ffmpeg    ${paths.ffmpeg}  [${paths.source.ffmpeg}]`,
          `ffprobe   ${paths.ffprobe}  [${paths.source.ffprobe}]`,
          `version   ${version}`,
        ].join('\n'),
      );
    });
}

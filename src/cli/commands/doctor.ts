import type { Command } from 'commander';
import { locateFfmpeg, NPM_FFMPEG_SOURCE } from '../../engine/media/ffmpegLocator';
import { runProcess } from '../../engine/util/runProcess';
import type { CliContext } from '../main';

/** Encoders and filters the engine uses, and what is lost without each. */
const NEEDED = {
  encoders: { prores_ks: 'ProRes takes (the default)', dnxhd: 'DNxHR takes', libx264: 'H.264 takes and proxies', libx265: 'HEVC takes', png: 'PNG image-sequence output', mjpeg: 'JPEG output' },
  filters: { zscale: 'colour conversion of takes', scale: 'resizing', format: 'pixel formats', fps: 'frame-rate conversion' },
} as const;

/** What `ffmpeg` lacks of NEEDED, from its own -encoders and -filters lists. */
async function missingCapabilities(ffmpeg: string, signal: AbortSignal): Promise<string[]> {
  const list = async (what: string) => (await runProcess(ffmpeg, ['-hide_banner', `-${what}`], { signal })).stdout.toString();
  const [encoders, filters] = await Promise.all([list('encoders'), list('filters')]);
  const has = (text: string, name: string) => new RegExp(`^\\s*\\S+\\s+${name}\\s`, 'm').test(text);
  return [
    ...Object.entries(NEEDED.encoders).filter(([n]) => !has(encoders, n)).map(([n, why]) => `encoder ${n} (${why})`),
    ...Object.entries(NEEDED.filters).filter(([n]) => !has(filters, n)).map(([n, why]) => `filter ${n} (${why})`),
  ];
}

/** `lacuna doctor`: what this install found (ffmpeg, where from, what it lacks), for bug reports. */
export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('show which ffmpeg/ffprobe Lacuna uses, where they came from and what they lack')
    .action(async () => {
      const paths = locateFfmpeg();
      const { stdout } = await runProcess(paths.ffmpeg, ['-hide_banner', '-version'], { signal: ctx.signal });
      const version = stdout.toString().split('\n')[0] ?? '';
      const lacks = await missingCapabilities(paths.ffmpeg, ctx.signal);
      const note =
        paths.source.ffmpeg === NPM_FFMPEG_SOURCE
          ? 'using the ffmpeg 4.1 build shipped in npm (no system ffmpeg found); install ffmpeg (e.g. `apt install ffmpeg`) or set LACUNA_FFMPEG for a current one'
          : null;
      const info = { node: process.version, platform: `${process.platform}-${process.arch}`, ffmpeg: paths, ffmpegVersion: version, lacks, note };
      ctx.reporter().result(info, () =>
        [
          `node      ${info.node} (${info.platform})`,
          `ffmpeg    ${paths.ffmpeg}  [${paths.source.ffmpeg}]`,
          `ffprobe   ${paths.ffprobe}  [${paths.source.ffprobe}]`,
          `version   ${version}`,
          `lacks     ${lacks.length ? lacks.join(', ') : 'nothing Lacuna uses'}`,
          ...(note ? [`note      ${note}`] : []),
        ].join('\n'),
      );
    });
}

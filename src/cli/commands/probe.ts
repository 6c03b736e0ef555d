import type { Command } from 'commander';
import { probeMedia } from '../../engine/media/probe';
import type { MediaInfo } from '../../engine/media/types';
import { toNumber, toString, type Rational } from '../../engine/util/rational';
import type { CliContext } from '../main';
import { fpsOption } from '../options';

/** One line per stream, as an editor reads a clip's properties. */
export function describeMedia(info: MediaInfo): string {
  const lines = [`${info.path}`, `  container  ${info.container ?? 'image sequence'}, ${info.duration.toFixed(3)} s${info.startTimecode ? `, TC ${info.startTimecode}` : ''}`];
  const v = info.video;
  if (v) {
    const c = v.colour;
    lines.push(
      `  video      ${v.codec}${v.profile ? ` (${v.profile})` : ''} ${v.displayWidth}x${v.displayHeight}` +
        `${v.rotation ? ` (stored ${v.width}x${v.height}, rotated ${v.rotation}°)` : ''} ` +
        `${rate(v.fps)} fps${v.variableFrameRate ? ' VFR' : ''}, ${v.frameCount} frames, ${v.pixelFormat} ${v.bitDepth}-bit`,
      `  colour     ${c.primaries ?? '?'} / ${c.transfer ?? '?'} / ${c.matrix ?? '?'}, ${c.range ?? '?'} range`,
    );
  }
  for (const a of info.audio) lines.push(`  audio      #${a.index} ${a.codec} ${a.sampleRate} Hz, ${a.channelLayout ?? `${a.channels} ch`}, ${a.duration.toFixed(3)} s`);
  return lines.join('\n');
}

function rate(r: Rational): string {
  return r.den === 1 ? toString(r) : `${toNumber(r).toFixed(3)} (${toString(r)})`;
}

/** `lacuna probe <media>`: what a file or image sequence holds, as JSON (or --summary text). */
export function registerProbe(program: Command, ctx: CliContext): void {
  program
    .command('probe')
    .description('show what a video file or image sequence holds (JSON)')
    .argument('<media>', 'a video/audio file, a folder of numbered images, or a pattern such as shots/%05d.png')
    .option('--fps <rate>', 'frame rate of an image sequence (images carry none), e.g. 24 or 30000/1001', fpsOption)
    .option('--summary', 'print a short human-readable summary instead of JSON')
    .addHelpText('after', '\nExamples:\n  lacuna probe interview.mov\n  lacuna probe plates/ --fps 24\n  lacuna probe "plates/sh010.%04d.exr" --fps 24 --summary')
    .action(async (media: string, opts: { fps?: Rational; summary?: boolean }) => {
      const info = await probeMedia(media, { fps: opts.fps, signal: ctx.signal });
      ctx.reporter().result(info, opts.summary ? () => describeMedia(info) : undefined);
    });
}

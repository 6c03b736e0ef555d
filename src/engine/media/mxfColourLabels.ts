import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../util/runProcess';
import type { FfmpegPaths } from './ffmpegLocator';

/**
 * Whether an ffmpeg build's MXF writer labels a file with the matrix it was given. ffmpeg 5 does;
 * older builds, the npm-shipped 4.1 among them, label every MXF file BT.709 (matrix and transfer,
 * no primaries) whatever it holds, so an SD or BT.2020 DNxHR take would be read with the wrong
 * matrix. Asked once per binary: one frame of DNxHR tagged BT.601 is written and read back.
 */
const cache = new Map<string, Promise<boolean>>();

async function writesMatrix(ff: FfmpegPaths): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), 'lacuna-mxf-'));
  try {
    const file = join(dir, 'probe.mxf');
    await runProcess(ff.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=gray:s=256x144:r=25', '-frames:v', '1',
      '-pix_fmt', 'yuv422p', '-c:v', 'dnxhd', '-profile:v', 'dnxhr_hq', '-colorspace', 'smpte170m', '-color_primaries', 'smpte170m', '-color_trc', 'bt709', '-y', file], { what: 'the MXF label check' });
    const { stdout } = await runProcess(ff.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=color_space', '-of', 'csv=p=0', file], { what: 'the MXF label check' });
    return /bt470bg|smpte170m/.test(stdout.toString());
  } catch {
    // Could not tell (the build cannot write DNxHR at all, say): the real encode will say why.
    return true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function mxfLabelsMatrix(ff: FfmpegPaths): Promise<boolean> {
  let known = cache.get(ff.ffmpeg);
  if (!known) {
    known = writesMatrix(ff);
    cache.set(ff.ffmpeg, known);
  }
  return known;
}

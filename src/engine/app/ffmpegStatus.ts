import type { FfmpegStatusDto } from '../../api/schemas/app';
import { toApiErrorShape } from '../../api/errors';
import { locateFfmpeg, type LocateOptions } from '../media/ffmpegLocator';
import { runProcess } from '../util/runProcess';

/**
 * Which ffmpeg the app uses and its version line, or why there is none: shown in the status bar
 * so a missing or unexpected ffmpeg is visible before a job fails on it.
 */
export async function ffmpegStatus(options: LocateOptions = {}): Promise<FfmpegStatusDto> {
  try {
    const paths = locateFfmpeg(options);
    const { stdout } = await runProcess(paths.ffmpeg, ['-hide_banner', '-version'], { what: 'ffmpeg -version' });
    return {
      available: true,
      ffmpeg: paths.ffmpeg,
      ffprobe: paths.ffprobe,
      source: paths.source,
      version: stdout.toString().split('\n')[0]?.trim() ?? '',
    };
  } catch (e) {
    return { available: false, error: toApiErrorShape(e) };
  }
}

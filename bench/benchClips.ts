import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { runProcess } from '../src/engine/util/runProcess';

/** Where benchmarks keep generated media (gitignored), reused between runs. */
export const BENCH_DIR = resolve('.bench');

/**
 * A 1080p25 H.264 clip of `seconds` with a 48 kHz stereo tone, tagged BT.709: the shape of a
 * camera or phone delivery. Made once with lavfi sources and reused (ultrafast + CRF 18 so it
 * is quick to make but still a realistic long-GOP stream to decode).
 */
export async function benchClip(seconds: number): Promise<string> {
  await mkdir(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `clip-1080p25-${seconds}s.mp4`);
  try {
    if ((await stat(path)).size > 0) return path;
  } catch {
    // not made yet
  }
  await runProcess(ffmpegPaths().ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=25:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-vf', 'scale=out_color_matrix=bt709:out_range=tv', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-pix_fmt', 'yuv420p',
    '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv',
    '-c:a', 'aac', '-b:a', '192k', '-ac', '2', path,
  ]);
  return path;
}

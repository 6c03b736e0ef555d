import { runProcess } from '../util/runProcess';
import type { FfmpegPaths } from './ffmpegLocator';

/**
 * Which optional filters an ffmpeg build has, asked once per binary. Builds differ (a distro's
 * ffmpeg, ffmpeg-static, a user's own): the engine prefers zscale (libzimg) for colour
 * conversion and falls back to swscale where it is missing.
 */
const cache = new Map<string, Promise<Set<string>>>();

async function listFilters(ffmpeg: string): Promise<Set<string>> {
  const { stdout } = await runProcess(ffmpeg, ['-hide_banner', '-filters'], { what: 'ffmpeg -filters' });
  const names = new Set<string>();
  for (const line of stdout.toString().split('\n')) {
    // " .SC zscale            V->V       Apply resizing…": flags, name, pads, description.
    const m = /^\s*[.A-Z|]{3}\s+(\S+)\s+\S+->\S+/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

export async function hasFilter(ff: FfmpegPaths, name: string): Promise<boolean> {
  let filters = cache.get(ff.ffmpeg);
  if (!filters) {
    filters = listFilters(ff.ffmpeg).catch(() => new Set<string>());
    cache.set(ff.ffmpeg, filters);
  }
  return (await filters).has(name);
}

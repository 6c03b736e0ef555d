import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { LacunaError } from '../util/errors';

export type FfTool = 'ffmpeg' | 'ffprobe';

export interface FfmpegPaths {
  ffmpeg: string;
  ffprobe: string;
  /** Where each binary came from, for `lacuna doctor` and error reports. */
  source: Record<FfTool, string>;
}

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder the packaged app ships ffmpeg/ffprobe in (Electron's resources/ffmpeg). */
  bundledDir?: string;
  /** Overrides the ffmpeg-static lookup (tests). `null` = pretend it is not installed. */
  ffmpegStaticPath?: string | null;
}

const exe = (name: string) => (process.platform === 'win32' ? `${name}.exe` : name);
const ENV_VARS: Record<FfTool, string> = { ffmpeg: 'LACUNA_FFMPEG', ffprobe: 'LACUNA_FFPROBE' };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function ffmpegStaticBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const p = require('ffmpeg-static') as string | null;
    // Inside a packaged Electron app the binary lives beside the asar archive, not in it.
    return p ? p.replace(`app.asar${'/'}`, `app.asar.unpacked/`).replace('app.asar\\', 'app.asar.unpacked\\') : null;
  } catch {
    return null;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? env.Path ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, exe(name));
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/**
 * Finds ffmpeg and ffprobe: LACUNA_FFMPEG / LACUNA_FFPROBE, then the app's bundled copies, then
 * ffmpeg-static's binary (ffprobe beside it, when present), then PATH. If one is missing the
 * error lists every place tried and how to fix it.
 */
export function locateFfmpeg(options: LocateOptions = {}): FfmpegPaths {
  const env = options.env ?? process.env;
  const staticFfmpeg = options.ffmpegStaticPath === undefined ? ffmpegStaticBinary() : options.ffmpegStaticPath;
  const found: Partial<Record<FfTool, { path: string; source: string }>> = {};
  const tried: string[] = [];

  for (const tool of ['ffmpeg', 'ffprobe'] as const) {
    const candidates: { path: string | null; source: string }[] = [
      { path: env[ENV_VARS[tool]] || null, source: `$${ENV_VARS[tool]}` },
      { path: options.bundledDir ? join(options.bundledDir, exe(tool)) : null, source: 'bundled with Lacuna' },
      {
        path: staticFfmpeg ? (tool === 'ffmpeg' ? staticFfmpeg : join(dirname(staticFfmpeg), exe('ffprobe'))) : null,
        source: 'ffmpeg-static',
      },
    ];
    for (const c of candidates) {
      if (!c.path) continue;
      if (existsSync(c.path) && isExecutable(c.path)) {
        found[tool] = { path: c.path, source: c.source };
        break;
      }
      tried.push(`${c.source}: ${c.path} (missing or not executable)`);
      if (c.source.startsWith('$')) {
        // An explicit setting that points nowhere is a mistake to report, not to paper over.
        throw new LacunaError(
          'FFMPEG_NOT_FOUND',
          `${ENV_VARS[tool]} is set to "${c.path}", which is not an executable file`,
          `Point ${ENV_VARS[tool]} at the ${tool} binary, or unset it to use the one on PATH.`,
        );
      }
    }
    if (!found[tool]) {
      const p = onPath(tool, env);
      if (p) found[tool] = { path: p, source: 'PATH' };
      else tried.push(`PATH: no ${exe(tool)} in ${(env.PATH ?? '').split(delimiter).length} folders`);
    }
  }

  if (!found.ffmpeg || !found.ffprobe) {
    const missing = (['ffmpeg', 'ffprobe'] as const).filter((t) => !found[t]).join(' and ');
    throw new LacunaError(
      'FFMPEG_NOT_FOUND',
      `${missing} not found. Tried:\n    ${tried.join('\n    ')}`,
      'Install ffmpeg (Debian/Ubuntu: `apt install ffmpeg`; macOS: `brew install ffmpeg`; Windows: `winget install ffmpeg`), ' +
        'or set LACUNA_FFMPEG and LACUNA_FFPROBE to the binaries.',
    );
  }
  return {
    ffmpeg: found.ffmpeg.path,
    ffprobe: found.ffprobe.path,
    source: { ffmpeg: found.ffmpeg.source, ffprobe: found.ffprobe.source },
  };
}

let cached: FfmpegPaths | undefined;

/** The process-wide ffmpeg paths (located once; `resetFfmpegCache` for tests and settings changes). */
export function ffmpegPaths(): FfmpegPaths {
  cached ??= locateFfmpeg();
  return cached;
}

export function resetFfmpegCache(paths?: FfmpegPaths): void {
  cached = paths;
}

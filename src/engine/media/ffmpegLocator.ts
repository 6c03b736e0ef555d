import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { asarUnpacked } from '../util/asarUnpacked';
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
  /** Overrides the @ffprobe-installer lookup (tests). `null` = pretend it is not installed. */
  ffprobePackagePath?: string | null;
  /** Overrides the @ffmpeg-installer lookup (tests). `null` = pretend it is not installed. */
  ffmpegPackagePath?: string | null;
}

/** The label of the last resort: @ffmpeg-installer's static ffmpeg 4.1 build (2018). */
export const NPM_FFMPEG_SOURCE = '@ffmpeg-installer/ffmpeg';

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
    return p ? asarUnpacked(p) : null;
  } catch {
    return null;
  }
}

/**
 * ffmpeg-static ships ffmpeg only; @ffprobe-installer/ffprobe ships a per-platform ffprobe as an
 * npm package (a plain file in the tarball, no download), so an npm install has both.
 */
function ffprobePackageBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    return asarUnpacked((require('@ffprobe-installer/ffprobe') as { path: string }).path);
  } catch {
    return null;
  }
}

/**
 * @ffmpeg-installer/ffmpeg ships a static ffmpeg (4.1, from 2018) inside a per-platform npm
 * package: no download, so it is there after `npm ci` on a machine with nothing but Node. Its
 * package makes the file executable in a postinstall script; where install scripts did not run
 * (npm's allowScripts policy, --ignore-scripts) it is done here instead.
 */
function ffmpegPackageBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const p = asarUnpacked((require('@ffmpeg-installer/ffmpeg') as { path: string }).path);
    if (existsSync(p) && !isExecutable(p)) {
      try {
        chmodSync(p, 0o755);
      } catch {
        // read-only install: reported as "not executable" below
      }
    }
    return p;
  } catch {
    return null; // not installed, or no build for this platform (the package throws a string)
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
 * Finds ffmpeg and ffprobe. ffmpeg: LACUNA_FFMPEG, the app's bundled copy, ffmpeg-static's
 * binary, PATH, then @ffmpeg-installer's (older, but always installed). ffprobe: LACUNA_FFPROBE, the bundled copy, the ffprobe beside the ffmpeg found
 * (so a system install is used as a matched pair), @ffprobe-installer's binary, PATH. If either
 * is missing the error lists every place tried and how to fix it.
 */
export function locateFfmpeg(options: LocateOptions = {}): FfmpegPaths {
  const env = options.env ?? process.env;
  const staticFfmpeg = options.ffmpegStaticPath === undefined ? ffmpegStaticBinary() : options.ffmpegStaticPath;
  const found: Partial<Record<FfTool, { path: string; source: string }>> = {};
  const tried: string[] = [];
  const candidatesFor = (tool: FfTool): { path: string | null; source: string }[] => {
    const bundled = { path: options.bundledDir ? join(options.bundledDir, exe(tool)) : null, source: 'bundled with Lacuna' };
    const fromEnv = { path: env[ENV_VARS[tool]] || null, source: `$${ENV_VARS[tool]}` };
    if (tool === 'ffmpeg') return [fromEnv, bundled, { path: staticFfmpeg, source: 'ffmpeg-static' }];
    const beside = found.ffmpeg && found.ffmpeg.source !== 'ffmpeg-static' && found.ffmpeg.source !== NPM_FFMPEG_SOURCE ? join(dirname(found.ffmpeg.path), exe('ffprobe')) : null;
    const packaged = options.ffprobePackagePath === undefined ? ffprobePackageBinary() : options.ffprobePackagePath;
    return [fromEnv, bundled, { path: beside, source: `beside ffmpeg (${found.ffmpeg?.source})` }, { path: packaged, source: '@ffprobe-installer/ffprobe' }];
  };

  for (const tool of ['ffmpeg', 'ffprobe'] as const) {
    for (const c of candidatesFor(tool)) {
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
    if (!found.ffmpeg && tool === 'ffmpeg') {
      const npm = options.ffmpegPackagePath === undefined ? ffmpegPackageBinary() : options.ffmpegPackagePath;
      if (npm && isExecutable(npm)) found.ffmpeg = { path: npm, source: NPM_FFMPEG_SOURCE };
      else if (npm) tried.push(`${NPM_FFMPEG_SOURCE}: ${npm} (missing or not executable)`);
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

const fpsModeSupport = new Map<string, boolean>();

/**
 * The output option that sets how frame timestamps are kept: `-fps_mode <mode>` (ffmpeg 5.1 and
 * later), or `-vsync <mode>` for older builds such as the npm-shipped 4.1, which refuse
 * `-fps_mode`. Asked of `ffmpeg` once per process (one tiny run).
 */
export function frameTimingArgs(mode: 'passthrough' | 'vfr' | 'cfr', ffmpeg: string = ffmpegPaths().ffmpeg): string[] {
  let modern = fpsModeSupport.get(ffmpeg);
  if (modern === undefined) {
    const r = spawnSync(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'nullsrc=s=16x16', '-frames:v', '1', '-fps_mode', 'passthrough', '-f', 'null', '-'], { stdio: 'ignore', timeout: 10_000 });
    modern = r.status === 0 || r.error !== undefined; // could not run it: assume current, and let the real run say why
    fpsModeSupport.set(ffmpeg, modern);
  }
  return [modern ? '-fps_mode' : '-vsync', mode];
}

/** Keeps every frame's timestamp as decoded (frameTimingArgs' passthrough). */
export function passthroughTimingArgs(ffmpeg: string = ffmpegPaths().ffmpeg): string[] {
  return frameTimingArgs('passthrough', ffmpeg);
}

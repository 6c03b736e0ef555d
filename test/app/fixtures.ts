import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppService } from '../../src/engine/app/AppService';

/** A fresh temp folder, removed by the returned cleanup. */
export function tempDir(prefix = 'lacuna-app-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type TestCodec = 'h264' | 'prores';

/**
 * Renders a short test clip with ffmpeg's lavfi sources (colour bars plus a moving box, and a
 * tone), so tests use real files of the codecs editors deliver without shipping any.
 */
export function makeClip(path: string, options: { codec?: TestCodec; seconds?: number; fps?: string; size?: string } = {}): string {
  const { codec = 'h264', seconds = 2, fps = '24', size = '320x180' } = options;
  const video = `testsrc2=size=${size}:rate=${fps}:duration=${seconds}`;
  const audio = `sine=frequency=440:sample_rate=48000:duration=${seconds}`;
  const codecArgs =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '96k']
      : ['-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le', '-c:a', 'pcm_s16le'];
  execFileSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', video, '-f', 'lavfi', '-i', audio, ...codecArgs,
      '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-shortest', path],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return path;
}

/** The app's engine as the browser bridge runs it, on its own data folder, with no autosave during a test. */
export async function startTestApp(dataDir: string): Promise<AppService> {
  return AppService.create({
    host: { kind: 'browser', nativeDialogs: false },
    appName: 'Lacuna',
    appVersion: 'test',
    versions: {},
    dataDir,
    emit: () => {},
    autosaveIntervalMs: 3_600_000,
  });
}

import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateFfmpeg } from '../../src/engine/media/ffmpegLocator';
import { isLacunaError } from '../../src/engine/util/errors';
import { tempDir } from './fixtures';

/** Fake executables: the locator only checks that they exist and are executable. */
function fakeBin(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, '#!/bin/sh\n');
  chmodSync(p, 0o755);
  return p;
}

let tmp: ReturnType<typeof tempDir>;
afterEach(() => tmp?.cleanup());

describe('locateFfmpeg', () => {
  it('prefers the environment variables over everything else', () => {
    tmp = tempDir();
    const ff = fakeBin(join(tmp.dir, 'env'), 'ffmpeg');
    const fp = fakeBin(join(tmp.dir, 'env'), 'ffprobe');
    const sys = join(tmp.dir, 'sys');
    fakeBin(sys, 'ffmpeg');
    fakeBin(sys, 'ffprobe');
    const found = locateFfmpeg({ env: { LACUNA_FFMPEG: ff, LACUNA_FFPROBE: fp, PATH: sys }, ffmpegStaticPath: null, ffprobePackagePath: null });
    expect(found).toMatchObject({ ffmpeg: ff, ffprobe: fp, source: { ffmpeg: '$LACUNA_FFMPEG', ffprobe: '$LACUNA_FFPROBE' } });
  });

  it('pairs a system ffmpeg with the ffprobe beside it, not the npm one', () => {
    tmp = tempDir();
    const sys = join(tmp.dir, 'sys');
    fakeBin(sys, 'ffmpeg');
    fakeBin(sys, 'ffprobe');
    const npmProbe = fakeBin(join(tmp.dir, 'npm'), 'ffprobe');
    const found = locateFfmpeg({ env: { PATH: sys }, ffmpegStaticPath: null, ffprobePackagePath: npmProbe });
    expect(found.ffprobe).toBe(join(sys, 'ffprobe'));
    expect(found.source.ffprobe).toBe('beside ffmpeg (PATH)');
  });

  it('falls back to the npm-shipped ffmpeg (after PATH) with the npm ffprobe, on a machine with nothing else', () => {
    tmp = tempDir();
    const npmFf = fakeBin(join(tmp.dir, 'ffmpeg-installer'), 'ffmpeg');
    const fp = fakeBin(join(tmp.dir, 'ffprobe-installer'), 'ffprobe');
    fakeBin(join(tmp.dir, 'ffmpeg-installer'), 'ffprobe'); // never paired "beside" it
    const found = locateFfmpeg({ env: { PATH: join(tmp.dir, 'empty') }, ffmpegStaticPath: null, ffprobePackagePath: fp, ffmpegPackagePath: npmFf });
    expect(found).toMatchObject({ ffmpeg: npmFf, ffprobe: fp, source: { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' } });
    // A system ffmpeg on PATH comes first.
    const sys = join(tmp.dir, 'sys');
    fakeBin(sys, 'ffmpeg');
    fakeBin(sys, 'ffprobe');
    expect(locateFfmpeg({ env: { PATH: sys }, ffmpegStaticPath: null, ffprobePackagePath: fp, ffmpegPackagePath: npmFf }).source.ffmpeg).toBe('PATH');
  });

  it('finds the real npm-shipped ffmpeg of this install, executable', () => {
    const found = locateFfmpeg({ env: { PATH: '/nonexistent' }, ffmpegStaticPath: null });
    expect(found.source.ffmpeg).toBe('@ffmpeg-installer/ffmpeg');
    expect(found.ffmpeg).toMatch(/@ffmpeg-installer/);
  });

  it("takes ffmpeg-static's ffmpeg with @ffprobe-installer's ffprobe when there is no system ffmpeg", () => {
    tmp = tempDir();
    const ff = fakeBin(join(tmp.dir, 'ffmpeg-static'), 'ffmpeg');
    const fp = fakeBin(join(tmp.dir, 'ffprobe-installer'), 'ffprobe');
    const found = locateFfmpeg({ env: { PATH: join(tmp.dir, 'empty') }, ffmpegStaticPath: ff, ffprobePackagePath: fp });
    expect(found).toMatchObject({ ffmpeg: ff, ffprobe: fp, source: { ffmpeg: 'ffmpeg-static', ffprobe: '@ffprobe-installer/ffprobe' } });
  });

  it('says everything it tried, and how to fix it, when nothing is found', () => {
    tmp = tempDir();
    let error: unknown;
    try {
      locateFfmpeg({ env: { PATH: join(tmp.dir, 'empty') }, ffmpegStaticPath: join(tmp.dir, 'gone', 'ffmpeg'), ffprobePackagePath: null, ffmpegPackagePath: null });
    } catch (e) {
      error = e;
    }
    expect(isLacunaError(error, 'FFMPEG_NOT_FOUND')).toBe(true);
    const text = (error as Error & { describe(): string }).describe();
    expect(text).toContain('ffmpeg and ffprobe not found');
    expect(text).toContain('ffmpeg-static');
    expect(text).toContain('PATH');
    expect(text).toContain('apt install ffmpeg');
  });

  it('reports an environment variable that points nowhere instead of silently falling back', () => {
    tmp = tempDir();
    const sys = join(tmp.dir, 'sys');
    fakeBin(sys, 'ffmpeg');
    fakeBin(sys, 'ffprobe');
    expect(() => locateFfmpeg({ env: { LACUNA_FFMPEG: join(tmp.dir, 'nope'), PATH: sys }, ffmpegStaticPath: null })).toThrow(/LACUNA_FFMPEG is set to/);
  });
});

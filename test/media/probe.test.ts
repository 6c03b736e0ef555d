import { writeFile, mkdir, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEQUENCE_FPS, probeMedia } from '../../src/engine/media/probe';
import { rational } from '../../src/engine/util/rational';
import { makeClip, makeRotatedClip, makeVfrClip, vfrClipFrames, withTempDir } from './mediaFiles';

const TWO_BIRDS = '/work/shared/fixtures/two-birds';

describe('probeMedia on files', () => {
  it('reads an mp4 with audio: exact NTSC rate, frame count, time base, colour, timecode and the audio stream', async () => {
    await withTempDir(async (dir) => {
      const path = await makeClip(join(dir, 'clip.mp4'), { rate: '30000/1001', seconds: 2, timecode: '01:00:00;00' });
      const info = await probeMedia(path);
      expect(info.source).toEqual({ kind: 'file', path });
      expect(info.startTimecode).toBe('01:00:00;00');
      expect(info.warnings).toBeUndefined();
      const v = info.video!;
      expect(v.fps).toEqual({ num: 30000, den: 1001 });
      expect(v.frameCount).toBe(60); // 2 s at 29.97 rounds up to the 60th frame
      expect(v.timeBase).toEqual({ num: 1, den: 30000 });
      expect([v.width, v.height, v.displayWidth, v.displayHeight, v.rotation]).toEqual([320, 180, 320, 180, 0]);
      expect(v.sampleAspect).toEqual({ num: 1, den: 1 });
      expect(v.colour).toEqual({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' });
      expect([v.pixelFormat, v.bitDepth, v.hasAlpha, v.variableFrameRate]).toEqual(['yuv420p', 8, false, false]);
      expect(info.audio).toHaveLength(1);
      expect(info.audio[0]).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 1 });
      expect(info.audio[0].duration).toBeCloseTo(2, 1);
      expect(info.fileSize).toBeGreaterThan(0);
    });
  });

  it('reports a rotated phone clip with its clockwise rotation and upright display size', async () => {
    await withTempDir(async (dir) => {
      const v = (await probeMedia(await makeRotatedClip(dir))).video!;
      expect([v.width, v.height]).toEqual([64, 32]);
      expect(v.rotation).toBe(90);
      expect([v.displayWidth, v.displayHeight]).toEqual([32, 64]);
    });
  });

  it('detects variable frame rate, names the nominal rate and warns that it will be conformed', async () => {
    await withTempDir(async (dir) => {
      const file = await makeVfrClip(join(dir, 'vfr.mp4'));
      const info = await probeMedia(file);
      expect(info.video!.variableFrameRate).toBe(true);
      expect(info.video!.fps).toEqual({ num: 30, den: 1 });
      expect(info.video!.frameCount).toBe(await vfrClipFrames(file)); // 1.9333 s at 30 fps: 58 (ffmpeg 5)
      expect([58, 59]).toContain(info.video!.frameCount);
      expect(info.warnings?.join()).toMatch(/variable frame rate.*30 fps/);
    });
  });

  it('counts frames of a container without a frame count (MKV)', async () => {
    await withTempDir(async (dir) => {
      const info = await probeMedia(await makeClip(join(dir, 'clip.mkv'), { rate: '25', seconds: 1.2 }));
      expect(info.video!.frameCount).toBe(30);
    });
  });

  it('names the path of a missing file (MEDIA_NOT_FOUND) and of a file that is not media (MEDIA_UNREADABLE)', async () => {
    await withTempDir(async (dir) => {
      const missing = join(dir, 'gone.mov');
      await expect(probeMedia(missing)).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND', message: expect.stringContaining(missing) });
      for (const [name, content] of [['notes.txt', 'just some words\n'], ['broken.mp4', Buffer.alloc(4096, 7)]] as const) {
        const path = join(dir, name);
        await writeFile(path, content);
        await expect(probeMedia(path)).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE', message: expect.stringContaining(path) });
      }
    });
  });
});

describe('probeMedia on image sequences', () => {
  it('reads the two-birds folder (every 5th number) at the frame rate the user set', async () => {
    const info = await probeMedia(TWO_BIRDS, { fps: rational(12) });
    expect(info.source).toMatchObject({ kind: 'imageSequence', pattern: join(TWO_BIRDS, '%05d.jpg'), fps: { num: 12, den: 1 } });
    const numbers = (info.source as { numbers: number[] }).numbers;
    expect(numbers).toEqual(Array.from({ length: 18 }, (_, i) => i * 5));
    const v = info.video!;
    expect([v.frameCount, v.width, v.height, v.displayWidth, v.displayHeight]).toEqual([18, 568, 320, 568, 320]);
    expect(v.fps).toEqual({ num: 12, den: 1 });
    expect(v.timeBase).toEqual({ num: 1, den: 12 });
    expect(info.duration).toBeCloseTo(1.5, 9);
    expect(info.audio).toEqual([]);
    expect(info.warnings).toBeUndefined();
  });

  it('accepts a printf pattern, a file-name glob and a MediaSource, and warns when it assumes the rate', async () => {
    for (const input of [join(TWO_BIRDS, '%05d.jpg'), join(TWO_BIRDS, '*.jpg')]) {
      const info = await probeMedia(input);
      expect(info.video!.frameCount).toBe(18);
      expect(info.video!.fps).toEqual(DEFAULT_SEQUENCE_FPS);
      expect(info.warnings?.join()).toMatch(/frame rate not given: assuming 25 fps/);
    }
    const source = { kind: 'imageSequence' as const, pattern: join(TWO_BIRDS, '%05d.jpg'), numbers: [0, 5, 10], fps: rational(24000, 1001) };
    const info = await probeMedia(source);
    expect(info.video!.frameCount).toBe(3);
    expect(info.video!.fps).toEqual({ num: 24000, den: 1001 });
  });

  it('refuses a folder with two sequences, and a folder with no numbered images', async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, 'two'));
      await mkdir(join(dir, 'none'));
      for (const n of ['00000', '00005']) {
        await copyFile(join(TWO_BIRDS, `${n}.jpg`), join(dir, 'two', `a_${n}.jpg`));
        await copyFile(join(TWO_BIRDS, `${n}.jpg`), join(dir, 'two', `b_${n}.jpg`));
      }
      await writeFile(join(dir, 'none', 'readme.txt'), 'x');
      await expect(probeMedia(join(dir, 'two'))).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/more than one image sequence: a_%05d.jpg/) });
      await expect(probeMedia(join(dir, 'none'))).rejects.toMatchObject({ code: 'MEDIA_UNREADABLE' });
      await expect(probeMedia(join(dir, 'two', 'c_%05d.jpg'))).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
      // With the prefix given, the pattern picks one of the two.
      expect((await probeMedia(join(dir, 'two', 'b_%05d.jpg'))).video!.frameCount).toBe(2);
    });
  });
});

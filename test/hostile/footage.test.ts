import { copyFile, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/engine/media/probe';
import { rational } from '../../src/engine/util/rational';
import { lacuna } from '../cli/cliHarness';
import { startTestApp, tempDir } from '../app/fixtures';
import { ffmpeg, makeClip, makeRotatedClip } from '../media/mediaFiles';

/*
 * Issue 10, item 4: footage never changes shape in silence. A source cut short, a sequence with a
 * hole, a sequence with a frame of another size, a matte of another shape: each is a clear error,
 * or a warning that says exactly what was done.
 */

const tmp = tempDir('lacuna-hostile-footage-');
afterAll(() => tmp.cleanup());

async function boxMask(path: string, size: string): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', `color=black:size=${size},drawbox=x=iw/4:y=ih/4:w=iw/4:h=ih/4:color=white:t=fill`, '-frames:v', '1', path]);
  return path;
}

describe('a source whose header announces more frames than it has', () => {
  let truncated: string;
  beforeAll(async () => {
    // The index (moov) up front announces 50 frames; the data stops after about 20.
    const full = join(tmp.dir, 'full.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', full]);
    const bytes = await readFile(full);
    truncated = join(tmp.dir, 'cut.mp4');
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.45)));
  });

  it('a removal refuses it, saying where it ends and what to do; nothing is written', async () => {
    const mask = await boxMask(join(tmp.dir, 'cut_mask.png'), '320x180');
    const out = join(tmp.dir, 'cutout');
    await mkdir(out);
    const run = await lacuna('remove', truncated, '--mask', mask, '-o', join(out, 'clean.mov'), '--json');
    expect(run.code).toBe(3);
    const error = run.lines.find((l) => l.type === 'error')!;
    expect(error).toMatchObject({ code: 'MEDIA_UNREADABLE' });
    expect(error.message).toMatch(/ends after frame \d+, but its header announces 50 frames: the file is cut short/);
    // The hint's range ends (exclusive) just after the last frame the message names.
    const last = Number(/ends after frame (\d+)/.exec(String(error.message))![1]);
    expect(error.hint).toContain(`-r 0-${last + 1})`);
    expect(await readdir(out)).toEqual([]);
  });

  it('probing it, and importing it into a project, warn that it is cut short; a whole file is not warned about', async () => {
    expect((await probeMedia(truncated)).warnings).toEqual([expect.stringMatching(/^the file is cut short: its header announces 50 frames, but its data stops before the last of them/)]);
    expect((await probeMedia(join(tmp.dir, 'full.mp4'))).warnings).toBeUndefined();
    const project = join(tmp.dir, 'cut.lacuna');
    expect((await lacuna('project', 'create', project, '--fps', '25')).code).toBe(0);
    const run = await lacuna('project', 'add', project, truncated, '--json');
    expect(run.code).toBe(0);
    expect(run.lines.filter((l) => l.type === 'warning').map((l) => String(l.message))).toEqual([expect.stringMatching(/cut\.mp4: the file is cut short/)]);
  });

  it('a transcode writes the frames there are and says exactly that', async () => {
    const run = await lacuna('transcode', truncated, '-c', 'prores_hq', '-o', join(tmp.dir, 'cut.mov'), '--json');
    expect(run.code).toBe(0);
    const warnings = run.lines.filter((l) => l.type === 'warning').map((l) => String(l.message));
    expect(warnings.some((w) => /ends after \d+ of the 50 frames its header announces/.test(w))).toBe(true);
  });
});

describe('image sequences', () => {
  it('a missing frame is named in a warning that says how the sequence is read', async () => {
    const dir = join(tmp.dir, 'gap');
    await mkdir(dir);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=25', '-frames:v', '10', '-start_number', '1', join(dir, 'sh010.%04d.png')]);
    await import('node:fs/promises').then((fs) => fs.rm(join(dir, 'sh010.0005.png')));
    const info = await probeMedia(dir, { fps: rational(25) });
    expect(info.video!.frameCount).toBe(9);
    expect(info.warnings).toEqual([expect.stringMatching(/^1 frame missing from sh010\.%04d\.png \(sh010\.0005\.png\): it is read as the 9 frames that exist.*10 numbered sh010\.0001\.png to sh010\.0010\.png/)]);
  });

  it('importing it into a project says so too, in the CLI and in the app\'s import answer', async () => {
    const dir = join(tmp.dir, 'gap-import');
    await mkdir(dir);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=25', '-frames:v', '6', '-start_number', '1', join(dir, 'sh020.%04d.png')]);
    await import('node:fs/promises').then((fs) => fs.rm(join(dir, 'sh020.0003.png')));
    const project = join(tmp.dir, 'gap.lacuna');
    expect((await lacuna('project', 'create', project, '--fps', '25')).code).toBe(0);
    const run = await lacuna('project', 'add', project, dir, '--fps', '25', '--json');
    expect(run.code).toBe(0);
    const warnings = run.lines.filter((l) => l.type === 'warning').map((l) => String(l.message));
    expect(warnings).toEqual([expect.stringMatching(/gap-import: 1 frame missing from sh020\.%04d\.png \(sh020\.0003\.png\): it is read as the 5 frames that exist/)]);
    const app = await startTestApp(join(tmp.dir, 'gap-data'));
    try {
      await app.handlers['project.new']({ name: 'Untitled', discardChanges: false });
      const answer = await app.handlers['media.import']({ paths: [dir], sequenceFps: rational(25) });
      expect(answer.imported).toHaveLength(1);
      expect(answer.warnings).toEqual([{ path: dir, warning: expect.stringMatching(/^1 frame missing from sh020/) }]);
    } finally {
      await app.dispose();
    }
  });

  it('a sequence that steps regularly (every 5th frame) is not warned about', async () => {
    const dir = join(tmp.dir, 'stepped');
    await mkdir(dir);
    for (const n of ['00000', '00005', '00010']) await copyFile(join(import.meta.dirname, '../../../shared/fixtures/two-birds/00000.jpg'), join(dir, `${n}.jpg`));
    expect((await probeMedia(dir, { fps: rational(25) })).warnings).toBeUndefined();
  });

  it('a frame of another size is refused, naming it, instead of being rescaled', async () => {
    const dir = join(tmp.dir, 'mixed');
    await mkdir(dir);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=25', '-frames:v', '6', '-start_number', '0', join(dir, '%03d.png')]);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=128x72:rate=25', '-frames:v', '1', '-y', join(dir, '003.png')]);
    const run = await lacuna('probe', dir, '--fps', '25', '--json');
    expect(run.code).toBe(3);
    expect(run.lines.find((l) => l.type === 'error')).toMatchObject({
      code: 'MEDIA_UNREADABLE',
      message: expect.stringMatching(/differ in size: 003\.png is 128x72, where 000\.png is 64x36/),
    });
  });
});

describe('a matte of another shape than the clip', () => {
  it('is refused on a rotated phone clip when drawn on its side (the clip shows upright)', async () => {
    const rotated = await makeRotatedClip(tmp.dir); // 64x32 stored, shown 32x64
    const mask = await boxMask(join(tmp.dir, 'sideways.png'), '64x32');
    const run = await lacuna('remove', rotated, '--mask', mask, '-o', join(tmp.dir, 'phone_clean.mov'), '--json');
    expect(run.code).toBe(2);
    const error = run.lines.find((l) => l.type === 'error')!;
    expect(error.message).toMatch(/the matte is 64x32 but the clip is 32x64 as shown \(it is rotated/);
    expect(error.hint).toMatch(/on its side/);
  });

  it('is refused when its aspect differs; the same shape at another size is scaled with a warning saying so', async () => {
    const clip = await makeClip(join(tmp.dir, 'wide.mp4'), { seconds: 0.2, rate: '25', size: '320x180', audio: false });
    const square = await boxMask(join(tmp.dir, 'square.png'), '180x180');
    const refused = await lacuna('remove', clip, '--mask', square, '-o', join(tmp.dir, 'sq.mov'), '--json');
    expect(refused.code).toBe(2);
    expect(refused.lines.find((l) => l.type === 'error')!.message).toMatch(/the matte is 180x180 but the clip is 320x180/);

    const big = await boxMask(join(tmp.dir, 'big.png'), '640x360');
    const scaled = await lacuna('remove', clip, '--mask', big, '-o', join(tmp.dir, 'big_clean.mov'), '--json');
    expect(scaled.code).toBe(0);
    expect(scaled.lines.filter((l) => l.type === 'warning').map((l) => l.message)).toContain(
      "the matte is 640x360 and the clip 320x180: the matte is scaled to the clip's size (same shape)",
    );
    expect((await stat(join(tmp.dir, 'big_clean.mov'))).size).toBeGreaterThan(0);
  });
});

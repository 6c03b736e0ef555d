import { link, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lacuna } from '../cli/cliHarness';
import { tempDir } from '../app/fixtures';
import { ffmpeg, makeClip } from '../media/mediaFiles';

/*
 * Issue 10, item 3: no input is ever written over, whatever the names and --overwrite: the matte
 * given as --mask is protected like the source, by identity (device and inode), so another name
 * for the same file (a hard link) is caught too, and so are the frames of a mask sequence.
 */

const tmp = tempDir('lacuna-hostile-inputs-');
afterAll(() => tmp.cleanup());
let clip: string;
let mask: string;
let maskSeq: string;

beforeAll(async () => {
  clip = await makeClip(join(tmp.dir, 'plate.mp4'), { seconds: 0.4, rate: '25', size: '320x180', audio: false });
  mask = join(tmp.dir, 'mask.mov');
  const box = 'color=black:size=320x180:rate=25,drawbox=x=120:y=60:w=60:h=50:color=white:t=fill';
  await ffmpeg(['-f', 'lavfi', '-i', box, '-frames:v', '1', '-c:v', 'prores_ks', mask]);
  maskSeq = join(tmp.dir, 'maskseq');
  await mkdir(maskSeq);
  await ffmpeg(['-f', 'lavfi', '-i', box, '-frames:v', '10', '-start_number', '0', join(maskSeq, '%03d.png')]);
});

describe('the --mask file is never overwritten', () => {
  it.each([
    ['-o names the mask', (m: string) => ['-o', m]],
    ['--matte names the mask', (m: string) => ['-o', join(tmp.dir, 'clean.mov'), '--matte', m]],
  ])('%s (with --overwrite): refused, the mask unchanged', async (_, args) => {
    const before = await readFile(mask);
    const run = await lacuna('remove', clip, '--mask', mask, ...args(mask), '--overwrite', '--json');
    expect(run.code).toBe(2);
    expect(run.lines.find((l) => l.type === 'error')).toMatchObject({ code: 'WOULD_OVERWRITE_SOURCE' });
    expect(Buffer.compare(await readFile(mask), before)).toBe(0);
  });

  it('another name for the same file (a hard link) is the same input', async () => {
    const alias = join(tmp.dir, 'alias_matte.mov');
    await link(mask, alias);
    const before = await readFile(mask);
    const run = await lacuna('remove', clip, '--mask', mask, '-o', join(tmp.dir, 'alias.mov'), '--overwrite', '--json');
    expect(run.code).toBe(2);
    expect(run.lines.find((l) => l.type === 'error')).toMatchObject({ code: 'WOULD_OVERWRITE_SOURCE', message: expect.stringContaining('mask.mov') });
    expect(Buffer.compare(await readFile(mask), before)).toBe(0);
  });

  it('an image-sequence output over the mask sequence\'s frames is refused before any work', async () => {
    const before = await readFile(join(maskSeq, '003.png'));
    const run = await lacuna('remove', clip, '--mask', maskSeq, '--mask-fps', '25', '-o', join(maskSeq, '%03d.png'), '--no-matte', '--overwrite', '--json');
    expect(run.code).toBe(2);
    expect(run.lines.find((l) => l.type === 'error')).toMatchObject({ code: 'WOULD_OVERWRITE_SOURCE' });
    expect(Buffer.compare(await readFile(join(maskSeq, '003.png')), before)).toBe(0);
    expect((await readdir(maskSeq)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('the source stays protected the same way (-o naming it)', async () => {
    const before = await readFile(clip);
    const run = await lacuna('remove', clip, '--mask', mask, '-o', clip, '--overwrite', '--json');
    expect(run.code).toBe(2);
    expect(Buffer.compare(await readFile(clip), before)).toBe(0);
  });
});

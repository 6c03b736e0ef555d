import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lacuna } from '../cli/cliHarness';
import { tempDir } from '../app/fixtures';
import { ffmpeg, makeClip } from '../media/mediaFiles';
import { canMount, errorLines, fillDisk, mountTmpfs } from './hostileKit';

/*
 * Issue 10, item 5: no stack traces and no raw tool errors. Each bad input below gets one or two
 * plain lines (the error and a hint); --json gives its class as `code`.
 */

const tmp = tempDir('lacuna-hostile-errors-');
afterAll(() => tmp.cleanup());
let clip: string;

beforeAll(async () => {
  clip = await makeClip(join(tmp.dir, 'plate.mp4'), { seconds: 0.2, rate: '25', size: '320x180', audio: false });
});

function expectPlain(run: { stderr: string }): string[] {
  const lines = errorLines(run.stderr);
  expect(lines.length, run.stderr).toBeGreaterThanOrEqual(1);
  expect(lines.length, run.stderr).toBeLessThanOrEqual(2);
  expect(lines[0]).toMatch(/^error: /);
  expect(run.stderr).not.toMatch(/\n\s+at \S/); // no stack frame
  return lines;
}

describe('plain errors with their class', () => {
  it('an all-white mask: a clear refusal (not INTERNAL), before any work', async () => {
    const white = join(tmp.dir, 'white.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'color=white:size=320x180', '-frames:v', '1', white]);
    const json = await lacuna('remove', clip, '--mask', white, '-o', join(tmp.dir, 'w.mov'), '--json');
    expect(json.lines.find((l) => l.type === 'error')).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/white over the whole picture/) });
    expectPlain(await lacuna('remove', clip, '--mask', white, '-o', join(tmp.dir, 'w.mov')));
  });

  it('a 20000x20000 picture: refused at probe with its size, not ffmpeg\'s "Device or resource busy"', async () => {
    const huge = join(tmp.dir, 'huge.y4m');
    await writeFile(huge, 'YUV4MPEG2 W20000 H20000 F25:1 Ip A1:1 C420jpeg\nFRAME\nxxxxxxxx');
    const json = await lacuna('probe', huge, '--json');
    expect(json.lines.find((l) => l.type === 'error')).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/is 20000x20000: larger than Lacuna works with/) });
    const text = await lacuna('transcode', huge, '-o', join(tmp.dir, 'huge.mov'));
    expect(expectPlain(text).join('\n')).not.toMatch(/busy/i);
    const project = await lacuna('project', 'create', join(tmp.dir, 'huge.lacuna'), '--size', '20000x20000');
    expect(project.code).toBe(2);
  });

  it('a 10,000-character description: capped as the API caps it, in file and project mode', async () => {
    const words = 'remove the bird on the left '.repeat(400).slice(0, 10_000);
    const json = await lacuna('remove', clip, words, '--json');
    expect(json.code).toBe(2);
    expect(json.lines.find((l) => l.type === 'error')).toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/10000 characters long; at most 500/) });
    const project = await lacuna('remove', '--project', join(tmp.dir, 'none.lacuna'), '--clip', 'x', words, '--json');
    expect(project.code).toBe(2);
  });

  it('odd sizes with 4:2:0 pictures (321x179 JPEGs, where zscale refuses): the removal works and says how the size was rounded', async () => {
    const dir = join(tmp.dir, 'odd');
    await mkdir(dir);
    // testsrc2 itself rounds odd sizes down: scale a larger one to 321x179.
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=642x358:rate=25,scale=321:179', '-frames:v', '4', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', join(dir, '%03d.jpg')]);
    const mask = join(tmp.dir, 'odd_mask.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'color=black:size=321x179,drawbox=x=100:y=50:w=40:h=40:color=white:t=fill', '-frames:v', '1', mask]);
    const run = await lacuna('remove', dir, '--fps', '25', '--mask', mask, '-o', join(tmp.dir, 'odd.mov'), '--json');
    expect(run.code, run.stdout).toBe(0);
    expect(run.lines.filter((l) => l.type === 'warning').map((l) => l.message)).toContainEqual(expect.stringMatching(/scaled from 321x179 to 322x179/));
  });

  it.each([
    ['a missing source', ['remove', 'nowhere.mov', 'the dog']],
    ['a text file as the source', ['probe', 'README.md']],
    ['an unknown engine', ['remove', 'x.mov', 'the dog', '--engine', 'nope']],
    ['a bad range', ['transcode', 'PLATE', '-r', '50-10']],
    ['a project that does not exist', ['project', 'list', 'nowhere.lacuna']],
    ['a model pack that does not exist', ['models', 'verify', 'nowhere-pack']],
  ])('%s: one or two plain lines, and a class in --json', async (_, args) => {
    const argv = args.map((a) => (a === 'PLATE' ? clip : a));
    expectPlain(await lacuna(...argv));
    const json = await lacuna(...argv, '--json');
    expect(json.lines.find((l) => l.type === 'error')?.code).toMatch(/^[A-Z_]+$/);
  });
});

describe.runIf(canMount)('a full disk', () => {
  it('during a project save: DISK_FULL in two lines, the saved project unchanged, no partial file left', async () => {
    const mnt = join(tmp.dir, 'full');
    const unmount = await mountTmpfs(mnt, 512 * 1024);
    try {
      const project = join(mnt, 'cut.lacuna');
      expect((await lacuna('project', 'create', project, '--fps', '25')).code).toBe(0);
      const before = await readFile(project, 'utf8');
      fillDisk(mnt, 0);
      const run = await lacuna('project', 'add', project, clip);
      expect(run.code).toBe(1);
      const lines = expectPlain(run);
      expect(lines[0]).toMatch(/^error: the disk is full: could not write/);
      const json = await lacuna('project', 'add', project, clip, '--json');
      expect(json.lines.find((l) => l.type === 'error')).toMatchObject({ code: 'DISK_FULL' });
      expect(await readFile(project, 'utf8')).toBe(before);
      // Nothing half-written is left, the project lock's own temp copy included.
      expect((await readdir(mnt)).filter((n) => n.includes('.partial') || n.endsWith('.lock'))).toEqual([]);
    } finally {
      unmount();
    }
  });
});

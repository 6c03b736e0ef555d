import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPathFor } from '../../src/engine/util/partialFiles';
import { ffmpeg, makeClip } from '../media/mediaFiles';
import { tempDir } from '../app/fixtures';
import { TWO_BIRDS, errorLines, ffmpegWrapper, partialsIn, spawnLacuna, until } from './hostileKit';

/*
 * Issue 10, item 1, as a user meets it: the real `lacuna` in a child process. An encoder that
 * cannot start, a matte name no encoder takes, Ctrl-C in file and project mode, a run killed
 * with kill -9 and the next run after it.
 */

const tmp = tempDir('lacuna-hostile-cli-');
afterAll(() => tmp.cleanup());
let clip: string;
let mask: string;

beforeAll(async () => {
  // 4 s at 25 fps: long enough to interrupt, small enough to be quick.
  clip = await makeClip(join(tmp.dir, 'plate.mp4'), { seconds: 4, rate: '25', size: '320x180', audio: false });
  mask = join(tmp.dir, 'plate_mask.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=black:size=320x180,drawbox=x=120:y=60:w=60:h=50:color=white:t=fill', '-frames:v', '1', mask]);
});

async function folder(name: string): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

const dataDir = (name: string) => ({ LACUNA_DATA_DIR: join(tmp.dir, `data-${name}`) });

describe('lacuna remove never hangs on an encoder', () => {
  it.runIf(existsSync(TWO_BIRDS))('two-birds by description with --out out.mp4 finishes (H.264, the container\'s codec)', async () => {
    const out = await folder('mp4');
    const run = spawnLacuna(['remove', TWO_BIRDS, 'remove the bird on the left', '--fps', '25', '--out', join(out, 'out.mp4')], dataDir('mp4'));
    const timer = setTimeout(() => run.kill('SIGKILL'), 150_000);
    const code = await run.code;
    clearTimeout(timer);
    expect(code, run.stderr()).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['out.mp4', 'out_matte.mov']);
  });

  it('an encoder ffmpeg refuses (a rejected option) fails the command at once, naming the encoder in ffmpeg\'s words', async () => {
    const out = await folder('rejected');
    const wrapper = await ffmpegWrapper(tmp.dir, { match: 'clean_matte', inject: ['-nosuchoption', '1'] });
    const started = Date.now();
    const run = spawnLacuna(['remove', clip, '--mask', mask, '-o', join(out, 'clean.mov')], { ...dataDir('rejected'), LACUNA_FFMPEG: wrapper });
    const code = await run.code;
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(code).toBe(1);
    const lines = errorLines(run.stderr());
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("error: the matte encoder (clean_matte.mov) failed: Unrecognized option 'nosuchoption'.");
    expect(lines[1]).toMatch(/^ {2}\S/);
    expect(await readdir(out)).toEqual([]);
  });

  it('--matte x.png (a single image) and -c prores_hq -o x.mp4 are refused before any work, in two lines', async () => {
    const out = await folder('names');
    for (const args of [['--matte', join(out, 'x.png')], ['-c', 'prores_hq', '-o', join(out, 'x.mp4')]]) {
      const run = spawnLacuna(['remove', clip, '--mask', mask, ...args], dataDir('names'));
      const timer = setTimeout(() => run.kill('SIGKILL'), 60_000);
      expect(await run.code).toBe(2);
      clearTimeout(timer);
      expect(errorLines(run.stderr())).toHaveLength(2);
    }
    expect(await readdir(out)).toEqual([]);
  });
});

describe('Ctrl-C', () => {
  it('on a removal to a file exits 130 and leaves nothing behind', async () => {
    const out = await folder('sigint-file');
    const run = spawnLacuna(['remove', clip, '--mask', mask, '-o', join(out, 'clean.mov')], dataDir('sigint-file'));
    await until(async () => (await partialsIn(out)).length >= 2, 60_000, 'the take and matte partial files');
    run.kill('SIGINT');
    expect(await run.code).toBe(130);
    expect(run.stderr()).toMatch(/cancelled/);
    expect(await readdir(out)).toEqual([]);
  });

  it('on a removal into a project exits 130, leaves the project as it was and nothing in its Renders folder', async () => {
    const dir = await folder('sigint-project');
    const media = join(dir, 'plate.mp4');
    await copyFile(clip, media);
    const project = join(dir, 'cut.lacuna');
    const env = dataDir('sigint-project');
    expect(await spawnLacuna(['project', 'create', project, '--fps', '25', '--size', '320x180'], env).code).toBe(0);
    expect(await spawnLacuna(['project', 'add', project, media], env).code).toBe(0);
    const before = await readFile(project, 'utf8');
    const renders = join(dir, 'cut Renders');
    const run = spawnLacuna(['remove', '--project', project, '--clip', 'plate.mp4', '--mask', mask], env);
    await until(
      async () => {
        if (!existsSync(renders)) return false;
        const jobs = (await readdir(renders)).filter((n) => n.startsWith('.lacuna-job-'));
        return jobs.length > 0 && (await partialsIn(join(renders, jobs[0])).catch(() => [])).length >= 2;
      },
      60_000,
      'the job\'s partial files',
    );
    run.kill('SIGINT');
    expect(await run.code, run.stderr()).toBe(130);
    expect(await readFile(project, 'utf8')).toBe(before);
    expect(await readdir(renders)).toEqual([]);
  });
});

describe('partial files', () => {
  it('a successful .mov removal leaves exactly its take and matte', async () => {
    const out = await folder('clean-success');
    const run = spawnLacuna(['remove', clip, '--mask', mask, '-r', '0-10', '-o', join(out, 'out.mov')], dataDir('clean-success'));
    expect(await run.code, run.stderr()).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['out.mov', 'out_matte.mov']);
  });

  it('what a kill -9 leaves is swept by the next run into that folder; a live writer\'s file is kept', async () => {
    const out = await folder('kill9');
    const run = spawnLacuna(['remove', clip, '--mask', mask, '-o', join(out, 'clean.mov')], dataDir('kill9'));
    await until(async () => (await partialsIn(out)).length >= 2, 60_000, 'partial files');
    run.kill('SIGKILL');
    await run.code;
    const orphans = await partialsIn(out);
    expect(orphans.length).toBeGreaterThanOrEqual(2);
    // One partial file of this (live) test process, and one of an earlier version, a day old.
    const live = tempPathFor(join(out, 'other.mov'));
    await writeFile(live, 'being written');
    const legacy = join(out, '.old.0123abcd.partial.mov');
    await writeFile(legacy, 'left by an old version');
    const dayAgo = new Date(Date.now() - 25 * 3600 * 1000);
    await utimes(legacy, dayAgo, dayAgo);

    const next = spawnLacuna(['remove', clip, '--mask', mask, '-r', '0-5', '-o', join(out, 'again.mov')], dataDir('kill9'));
    expect(await next.code, next.stderr()).toBe(0);
    const left = (await readdir(out)).sort();
    for (const o of [...orphans, '.old.0123abcd.partial.mov']) expect(left).not.toContain(o);
    expect(left).toEqual(['again.mov', 'again_matte.mov', live.split('/').pop()!].sort());
  });
});

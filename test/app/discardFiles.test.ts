import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempBesideHome } from './discardFiles.fixture';

/*
 * A deleted take's files go to the OS trash (the real `trash` package, freedesktop.org trash on
 * Linux), so they can be put back from there. The trash lives under XDG_DATA_HOME, which this
 * file points at a temp folder before the package is loaded (it reads the variable once).
 */

let dir: string;
let discardFiles: typeof import('../../src/engine/app/discardFiles').discardFiles;
beforeAll(async () => {
  dir = tempBesideHome('lacuna-trash-');
  process.env.XDG_DATA_HOME = join(dir, 'xdg');
  ({ discardFiles } = await import('../../src/engine/app/discardFiles'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('discardFiles with a trash', () => {
  it('moves the files to the trash, each with the .trashinfo that puts it back', async () => {
    const take = join(dir, 'shot [v2]*_removed.mov');
    const matte = join(dir, 'shot_removed_matte.mov');
    writeFileSync(take, 'take');
    writeFileSync(matte, 'matte');
    const report = await discardFiles([take, matte]);
    expect(report).toEqual({ trashed: [take, matte], deleted: [] });
    expect(existsSync(take) || existsSync(matte)).toBe(false);
    const trash = join(dir, 'xdg', 'Trash');
    const infos = readdirSync(join(trash, 'info')).map((f) => readFileSync(join(trash, 'info', f), 'utf8'));
    expect(infos.map((t) => decodeURI(/^Path=(.*)$/m.exec(t)![1])).sort()).toEqual([take, matte].sort());
    const kept = readdirSync(join(trash, 'files')).map((f) => readFileSync(join(trash, 'files', f), 'utf8'));
    expect(kept.sort()).toEqual(['matte', 'take']);
  });

  it('files already gone are neither trashed nor reported', async () => {
    expect(await discardFiles([join(dir, 'never-there.mov')])).toEqual({ trashed: [], deleted: [] });
  });

  it('what the trash refuses is deleted, and the report says why in a line', async () => {
    const a = join(dir, 'a.mov');
    const b = join(dir, 'b.mov');
    writeFileSync(a, 'a');
    writeFileSync(b, 'b');
    // A trash that takes the first file and then fails (a full disk, say).
    const report = await discardFiles([a, b], {
      trash: async (paths) => {
        rmSync(paths[0]);
        throw Object.assign(new Error('no space'), { code: 'ENOSPC', path: join(dir, 'xdg') });
      },
    });
    expect(report.trashed).toEqual([a]);
    expect(report.deleted).toEqual([b]);
    expect(report.notice).toBe(`No trash to move it to (ENOSPC at ${join(dir, 'xdg')}): b.mov was deleted.`);
    expect(existsSync(b)).toBe(false);
  });
});

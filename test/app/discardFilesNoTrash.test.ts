import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempBesideHome } from './discardFiles.fixture';

/*
 * A machine with no trash to move files to (a headless Linux box whose data folder cannot hold
 * one): here XDG_DATA_HOME is under a plain file, so the real `trash` package cannot make its
 * folders. The files the user asked to throw away are deleted, and the report says so.
 */

let dir: string;
let discardFiles: typeof import('../../src/engine/app/discardFiles').discardFiles;
beforeAll(async () => {
  dir = tempBesideHome('lacuna-notrash-');
  writeFileSync(join(dir, 'not-a-folder'), '');
  process.env.XDG_DATA_HOME = join(dir, 'not-a-folder', 'share');
  ({ discardFiles } = await import('../../src/engine/app/discardFiles'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('discardFiles without a trash', () => {
  it('deletes the files and says there was no trash', async () => {
    const take = join(dir, 'shot_removed.mov');
    const matte = join(dir, 'shot_removed_matte.mov');
    writeFileSync(take, 'take');
    writeFileSync(matte, 'matte');
    const report = await discardFiles([take, matte]);
    expect(report.trashed).toEqual([]);
    expect(report.deleted).toEqual([take, matte]);
    expect(report.notice).toMatch(/^No trash to move them to \(ENOTDIR at .*not-a-folder.*\): shot_removed\.mov, shot_removed_matte\.mov were deleted\.$/);
    expect(existsSync(take) || existsSync(matte)).toBe(false);
  });
});

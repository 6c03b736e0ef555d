import { spawnSync } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalNameOf, isOrphan, isPartialPath, partialFolderName, sweepPartials, tempPathFor } from '../../src/engine/util/partialFiles';
import { withTempDir } from '../media/mediaFiles';

/** A pid that is surely not running: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('partial file names', () => {
  it('carry the owner and keep the extension last; the final name is recoverable', () => {
    const p = tempPathFor('/renders/shot_matte.mov');
    expect(p).toMatch(/^\/renders\/\.shot_matte\.[0-9a-f]{4}-\d+-[0-9a-f]{8}\.partial\.mov$/);
    expect(p).toContain(`-${process.pid}-`);
    expect(isPartialPath(p)).toBe(true);
    expect(finalNameOf(p)).toBe('shot_matte.mov');
    expect(isPartialPath('/renders/shot.mov')).toBe(false);
    expect(isPartialPath('/renders/.shot.0123abcd.partial.mov')).toBe(true); // an earlier version's
  });

  it('an orphan is one whose writer on this host is gone, or that nobody touched for a day', () => {
    const now = Date.now();
    const mine = tempPathFor('/x/a.mov').split('/').pop()!;
    expect(isOrphan(mine, now, now)).toBe(false);
    expect(isOrphan(mine, now - 25 * 3600e3, now)).toBe(true);
    const dead = mine.replace(`-${process.pid}-`, `-${deadPid()}-`);
    expect(isOrphan(dead, now, now)).toBe(true);
    const otherHost = mine.replace(/\.[0-9a-f]{4}-/, (m) => (m === '.0000-' ? '.ffff-' : '.0000-')).replace(`-${process.pid}-`, `-${deadPid()}-`);
    expect(isOrphan(otherHost, now, now)).toBe(false); // that pid may be alive over there
    expect(isOrphan('.old.0123abcd.partial.mov', now - 2 * 3600e3, now)).toBe(true);
    expect(isOrphan('.old.0123abcd.partial.mov', now - 60e3, now)).toBe(false);
    expect(isOrphan('shot.mov', 0, now)).toBe(false);
  });

  it('the sweep removes orphaned files and staging folders, and nothing else', async () => {
    await withTempDir(async (dir) => {
      const dead = deadPid();
      const orphanFile = tempPathFor(join(dir, 'take.mov')).replace(`-${process.pid}-`, `-${dead}-`);
      const orphanFolder = join(dir, partialFolderName('take.#.png').replace(`-${process.pid}-`, `-${dead}-`));
      const live = tempPathFor(join(dir, 'other.mov'));
      await writeFile(orphanFile, 'x');
      await mkdir(orphanFolder);
      await writeFile(join(orphanFolder, '00000.png'), 'x');
      await writeFile(live, 'x');
      await writeFile(join(dir, 'take.mov'), 'a result');
      await writeFile(join(dir, '.hidden'), 'not ours');
      const old = join(dir, '.legacy.0123abcd.partial.mov');
      await writeFile(old, 'x');
      await utimes(old, new Date(Date.now() - 2 * 3600e3), new Date(Date.now() - 2 * 3600e3));
      const removed = await sweepPartials(dir, { force: true });
      expect(removed.sort()).toEqual([orphanFile, orphanFolder, old].map((p) => p.split('/').pop()!).sort());
      expect((await readdir(dir)).sort()).toEqual(['.hidden', live.split('/').pop()!, 'take.mov'].sort());
    });
  });
});

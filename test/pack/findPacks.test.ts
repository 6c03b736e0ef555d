import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findModelPacks } from '../../src/engine/lgvi/pack/findPacks';
import { tempDir } from '../app/fixtures';

const tmp = tempDir('lacuna-find-packs-');
afterAll(() => tmp.cleanup());

describe('findModelPacks', () => {
  it('lists the folders with a manifest.json in each root (and a root that is a pack), skipping others', async () => {
    const bundled = join(tmp.dir, 'resources', 'models');
    const user = join(tmp.dir, 'user', 'models');
    for (const d of [join(bundled, 'lgvi-referring'), join(bundled, 'export'), join(user, 'b-pack'), join(user, 'a-pack')]) mkdirSync(d, { recursive: true });
    writeFileSync(join(bundled, 'README.md'), '# models');
    for (const d of [join(bundled, 'lgvi-referring'), join(user, 'b-pack'), join(user, 'a-pack')]) writeFileSync(join(d, 'manifest.json'), '{}');
    const single = join(tmp.dir, 'one-pack');
    mkdirSync(single);
    writeFileSync(join(single, 'manifest.json'), '{}');
    expect(await findModelPacks([bundled, user, single, join(tmp.dir, 'missing')])).toEqual([
      join(bundled, 'lgvi-referring'),
      join(user, 'a-pack'),
      join(user, 'b-pack'),
      single,
    ]);
  });
});

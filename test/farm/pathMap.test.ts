import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePathMapEntry, PathMap } from '../../src/engine/farm/pathMap';
import { redisOptions, safeRedisUrl } from '../../src/engine/farm/redisConnection';

const dir = mkdtempSync(join(tmpdir(), 'lacuna-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const media = join(dir, 'media');
mkdirSync(join(media, 'plates'), { recursive: true });

describe('path maps and roots', () => {
  const map = new PathMap([parsePathMapEntry(`/Volumes/Media=${media}`), parsePathMapEntry(`\\\\nas\\media=${media}`), parsePathMapEntry(`M:\\=${media}`)]);

  it('translates macOS, UNC and drive-letter forms to this machine’s mount', () => {
    expect(map.toLocal('/Volumes/Media/plates/sh010.mov', 'media')).toBe(join(media, 'plates', 'sh010.mov'));
    expect(map.toLocal('\\\\NAS\\Media\\plates\\sh010.mov', 'media')).toBe(join(media, 'plates', 'sh010.mov'));
    expect(map.toLocal('m:\\plates\\sh010.%05d.exr', 'media')).toBe(join(media, 'plates', 'sh010.%05d.exr'));
  });

  it('refuses paths outside its roots, .. escapes, relative paths and links that point out', () => {
    expect(() => map.toLocal('/etc/passwd', 'media')).toThrow(/refused the job's media \/etc\/passwd: it is outside this worker's roots/);
    expect(() => map.toLocal('/Volumes/Media/../../etc/passwd', 'output file')).toThrow(/refused the job's output file/);
    expect(() => map.toLocal('plates/sh010.mov', 'media')).toThrow(/not an absolute path/);
    expect(() => map.toLocal('/Volumes/MediaX/a.mov', 'media')).toThrow(/refused/);
    const outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret'), 'x');
    symlinkSync(outside, join(media, 'link'));
    expect(() => map.toLocal('/Volumes/Media/link/secret', 'media')).toThrow(/refused/);
    expect(() => map.toLocal(join(media, 'link', 'new-file.mov'), 'output file')).toThrow(/refused/);
  });

  it('a root takes paths unchanged; no root at all is refused', () => {
    const roots = new PathMap([], [media]);
    expect(roots.toLocal(join(media, 'a.mov'), 'media')).toBe(join(media, 'a.mov'));
    expect(() => new PathMap([], [])).toThrow(/at least one root/);
    expect(() => parsePathMapEntry('nothing')).toThrow(/not a path map/);
    expect(() => parsePathMapEntry('/a=relative/b')).toThrow(/absolute/);
  });
});

describe('Redis connection options', () => {
  it('reads user, password, db and TLS from the URL and files, and never shows the password', () => {
    const pass = join(dir, 'pass');
    writeFileSync(pass, 's3cret\n');
    const ca = join(dir, 'ca.pem');
    writeFileSync(ca, '-----BEGIN CERTIFICATE-----\n');
    const o = redisOptions({ url: 'rediss://farm@render-db:6380/2', passwordFile: pass, tls: { ca } }, {});
    expect(o).toMatchObject({ host: 'render-db', port: 6380, db: 2, username: 'farm', password: 's3cret', tls: { ca: '-----BEGIN CERTIFICATE-----\n' }, maxRetriesPerRequest: null });
    expect(redisOptions({ url: 'redis://h' }, { LACUNA_REDIS_PASSWORD: 'env' })).toMatchObject({ password: 'env', port: 6379 });
    expect(redisOptions({ url: 'redis://h' }, {}).tls).toBeUndefined();
    expect(safeRedisUrl('redis://farm:s3cret@h:1/0')).not.toContain('s3cret');
    expect(() => redisOptions({ url: 'http://h' })).toThrow(/not a Redis URL/);
    expect(() => redisOptions({ url: 'redis://h', passwordFile: join(dir, 'missing') })).toThrow(/cannot read the password file/);
  });
});

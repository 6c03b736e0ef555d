import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppSettingsStore, DEFAULT_SETTINGS, SETTINGS_FILE, applySettingsPatch, parseSettingsText } from '../../src/engine/app/appSettings';
import { tempDir } from './fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('lacuna-settings-');
});
afterEach(() => tmp.cleanup());

describe('AppSettingsStore', () => {
  it('starts from the defaults when there is no file, and writes none until a change', async () => {
    const store = await AppSettingsStore.open(tmp.dir);
    expect(store.current).toEqual(DEFAULT_SETTINGS);
    expect(store.current.renderCodec).toBe('prores_hq');
    expect(store.warning).toBeNull();
    expect(await readdir(tmp.dir)).toEqual([]);
  });

  it('persists a change and reads it back in a new store (a restart)', async () => {
    const store = await AppSettingsStore.open(tmp.dir);
    await store.update((s) => applySettingsPatch(s, { renderCodec: 'h264', proxy: { maxHeight: 540 } }));
    const again = await AppSettingsStore.open(tmp.dir);
    expect(again.current.renderCodec).toBe('h264');
    expect(again.current.proxy).toEqual({ maxHeight: 540, maxConcurrent: 3 });
    // Only the settings file is left: the atomic write's temp file is gone.
    expect(await readdir(tmp.dir)).toEqual([SETTINGS_FILE]);
  });

  it('a damaged file: defaults are used, the file is kept aside, and the warning says so', async () => {
    await writeFile(join(tmp.dir, SETTINGS_FILE), '{"renderCodec": "h264", ');
    const store = await AppSettingsStore.open(tmp.dir);
    expect(store.current).toEqual(DEFAULT_SETTINGS);
    expect(store.warning).toMatch(/not valid JSON.*defaults are used.*kept as .*settings\.json\.damaged/);
    expect(await readFile(join(tmp.dir, `${SETTINGS_FILE}.damaged`), 'utf8')).toBe('{"renderCodec": "h264", ');
    // The next change writes a valid file and clears the warning.
    await store.update((s) => applySettingsPatch(s, { renderCodec: 'hevc' }));
    expect(store.warning).toBeNull();
    expect(JSON.parse(await readFile(join(tmp.dir, SETTINGS_FILE), 'utf8')).renderCodec).toBe('hevc');
  });

  it('a file with one bad field keeps the others and names the bad one', () => {
    const { settings, warning } = parseSettingsText(JSON.stringify({ renderCodec: 'h264', proxy: { maxHeight: 'big' }, packDirs: ['/p'] }));
    expect(settings.renderCodec).toBe('h264');
    expect(settings.packDirs).toEqual(['/p']);
    expect(settings.proxy).toEqual(DEFAULT_SETTINGS.proxy);
    expect(warning).toMatch(/not valid.*proxy/);
    expect(warning).not.toMatch(/renderCodec/);
    expect(parseSettingsText('[1,2]').warning).toMatch(/does not hold settings/);
  });

  it('concurrent updates in one process: none is lost', async () => {
    const store = await AppSettingsStore.open(tmp.dir);
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.update((s) => ({ ...s, packDirs: [...s.packDirs, `/packs/${i}`] }))));
    const again = await AppSettingsStore.open(tmp.dir);
    expect([...again.current.packDirs].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `/packs/${i}`).sort());
  });

  it('a change made by another process meanwhile is merged, not overwritten', async () => {
    const a = await AppSettingsStore.open(tmp.dir);
    const b = await AppSettingsStore.open(tmp.dir);
    await a.update((s) => applySettingsPatch(s, { renderCodec: 'dnxhr_hq' }));
    // b still holds the old settings in memory; its change must start from the file.
    await b.update((s) => applySettingsPatch(s, { proxy: { maxConcurrent: 2 } }));
    const c = await AppSettingsStore.open(tmp.dir);
    expect(c.current.renderCodec).toBe('dnxhr_hq');
    expect(c.current.proxy.maxConcurrent).toBe(2);
  });

  it('a change that fails validation writes nothing and rejects; the store keeps working', async () => {
    const store = await AppSettingsStore.open(tmp.dir);
    await expect(store.update((s) => ({ ...s, proxy: { maxHeight: 10, maxConcurrent: 3 } }))).rejects.toThrow();
    expect(await readdir(tmp.dir)).toEqual([]);
    await store.update((s) => applySettingsPatch(s, { renderCodec: 'h264' }));
    expect(store.current.renderCodec).toBe('h264');
  });
});

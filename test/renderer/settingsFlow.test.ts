import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { haveChromium } from './browser';
import { startEditorSession, type EditorSession } from './editorSession';

/*
 * The Settings dialog in Chromium over the bridge, with screenshots under .tmp/screens/: Lite is
 * there with no pack; a generated LGVI pack added by folder verifies and brings LGVI; a damaged
 * copy fails with the reason; the default codec changes; after a restart of the engine on the
 * same data folder, the dialog shows what was kept.
 */
let s: EditorSession;
let pack: string;
let broken: string;

beforeAll(async () => {
  s = await startEditorSession('lacuna-settings-ui-');
  pack = join(s.dir, 'packs', 'Tiny Pack');
  await mkdir(pack, { recursive: true });
  await writeTinyRandomPack({ dir: pack, working: SMALL_WORKING, name: 'Tiny test pack', id: 'tiny-test' });
  broken = join(s.dir, 'packs', 'Broken Pack');
  await cp(pack, broken, { recursive: true });
  const unet = (await readdir(broken)).find((f) => /unet.*\.onnx$/.test(f))!;
  const bytes = await readFile(join(broken, unet));
  bytes[bytes.length - 5] ^= 0xff;
  await writeFile(join(broken, unet), bytes);
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe.runIf(haveChromium)('Settings dialog in Chromium', () => {
  it('shows Lite, adds a generated pack that verifies and a damaged one that fails, and changes the default codec', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.poll(() => dialog.getByRole('region', { name: 'Models' }).textContent()).toMatch(/Lite/);
    expect(await dialog.getByTestId('model-pack').count()).toBe(0);
    expect(await dialog.textContent()).toMatch(/No model pack is installed/);
    expect(await dialog.getByRole('table').textContent()).toMatch(/CPU\s*available/);
    await s.shot('settings-01-models-empty');

    // A folder that is not a pack: the dialog says why, in words, and lists nothing.
    await dialog.getByLabel('Model pack folder').fill(s.dir);
    await dialog.getByRole('button', { name: 'Add folder…' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/is not a model pack: it has no manifest\.json/);
    expect(await dialog.getByTestId('model-pack').count()).toBe(0);

    await dialog.getByLabel('Model pack folder').fill(pack);
    await dialog.getByRole('button', { name: 'Add folder…' }).click();
    await expect.poll(() => dialog.getByTestId('model-pack').count(), { timeout: 60_000 }).toBe(1);
    const added = dialog.getByTestId('model-pack').first();
    await expect.poll(() => added.textContent()).toMatch(/Tiny test pack.*Verified.*provides lgvi/);
    expect(await added.textContent()).toMatch(/tiny-test/);
    await expect.poll(() => dialog.getByRole('region', { name: 'Models' }).textContent()).toMatch(/LGVI · Lite/);

    await dialog.getByLabel('Model pack folder').fill(broken);
    await dialog.getByRole('button', { name: 'Add folder…' }).click();
    await expect.poll(() => dialog.getByTestId('model-pack').count(), { timeout: 60_000 }).toBe(2);
    const bad = dialog.getByTestId('model-pack').nth(1);
    await expect.poll(() => bad.textContent()).toMatch(/Failed/);
    expect(await bad.textContent()).toMatch(/unet/i);
    await s.shot('settings-02-packs');

    await dialog.getByRole('button', { name: 'Defaults' }).click();
    await dialog.getByLabel('Render codec').selectOption('h264');
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/Saved in/);
    expect(await dialog.getByLabel('Default engine').textContent()).toMatch(/LGVI/);
    await s.shot('settings-03-defaults');

    await dialog.getByRole('button', { name: 'Preview' }).click();
    await dialog.getByLabel('Proxy resolution').selectOption('540');
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/Saved in/);
    await s.shot('settings-04-preview');

    // Nothing wider than the window, at 1440 px and at 1280 px (the dialog fits inside it).
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 800 });
      await dialog.getByRole('button', { name: 'Models' }).click();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const box = (await dialog.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
    await s.shot('settings-05-models-1280');
    await page.setViewportSize({ width: 1440, height: 900 });
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByRole('dialog', { name: 'Settings' }).count()).toBe(0);
    expect(s.errors).toEqual([]);
  }, 240_000);

  it('after a restart on the same data folder the settings and the packs are still there; Ctrl+, opens it', async () => {
    const { page } = s;
    await s.restart();
    await page.getByRole('button', { name: 'New project' }).waitFor();
    await page.keyboard.press('Control+Comma');
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await expect.poll(() => dialog.getByTestId('model-pack').count()).toBe(2);
    // Verdicts are kept with the manifest they were reached on; Verify checks again (quick: the checksum cache).
    await expect.poll(() => dialog.getByTestId('model-pack').first().textContent()).toMatch(/Verified/);
    expect(await dialog.getByTestId('model-pack').nth(1).textContent()).toMatch(/Failed.*not used until it verifies/);
    await dialog.getByTestId('model-pack').first().getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toMatch(/Kept in/);
    await expect.poll(() => dialog.getByTestId('model-pack').first().textContent(), { timeout: 60_000 }).toMatch(/Verified/);

    // Remove the broken one from the list: its files stay.
    const before = (await readdir(broken)).sort();
    await dialog.getByTestId('model-pack').nth(1).getByRole('button', { name: 'Remove from list' }).click();
    await expect.poll(() => dialog.getByTestId('model-pack').count()).toBe(1);
    expect((await readdir(broken)).sort()).toEqual(before);
    await s.shot('settings-06-after-restart');

    await dialog.getByRole('button', { name: 'Defaults' }).click();
    expect(await dialog.getByLabel('Render codec').inputValue()).toBe('h264');
    await dialog.getByRole('button', { name: 'Preview' }).click();
    expect(await dialog.getByLabel('Proxy resolution').inputValue()).toBe('540');
    expect(s.errors).toEqual([]);
  }, 120_000);
});

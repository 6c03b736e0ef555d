import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from './browser';
import { startEditorSession, type EditorSession, newProjectWithClip } from './editorSession';

/*
 * Removal as an editor works it, in Chromium through the bridge, with screenshots under
 * .tmp/screens/: right-click the clip, describe, Find (the matched bird tinted, the other greyed),
 * click to change the pick, render, judge with the wipe and the matte overlay, switch takes on the
 * clip, undo, save, restart the engine and reopen.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let s: EditorSession;

beforeAll(async () => {
  s = await startEditorSession('lacuna-removal-');
}, 180_000);

afterAll(async () => {
  await s?.close();
});

const picked = () => s.page.locator('[data-testid="found-object"][data-picked="true"]');
const others = () => s.page.locator('[data-testid="found-object"][data-picked="false"]');

describe.runIf(haveChromium)('removal workflow in Chromium', () => {
  it('puts two-birds on a sequence made to its settings', async () => {
    const { page } = s;
    await newProjectWithClip(page, TWO_BIRDS, 'two-birds');
    expect(await page.getByTestId('clip').textContent()).toContain('two-birds');
  });

  it('Find shows the matched bird tinted and the other greyed, with the explanation', async () => {
    const { page } = s;
    await page.getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Remove by description/ }).click();
    const panel = page.getByRole('dialog', { name: 'Remove by description' });
    await panel.locator('textarea').fill('remove the bird on the left');
    await panel.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => panel.getByTestId('find-explanation').textContent(), { timeout: 120_000 }).toMatch(/matched 1 of 2 birds: the left one/);
    await expect.poll(() => picked().count()).toBe(1);
    expect(await others().count()).toBe(1);
    // The picked box is the left one.
    const [p, o] = [(await picked().boundingBox())!, (await others().boundingBox())!];
    expect(p.x).toBeLessThan(o.x);
    // Scrubbing moves the boxes with the birds, frame by frame.
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => picked().count()).toBe(1);
    await page.keyboard.press('Home');
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="program-video"]')?.readyState ?? 0) >= 2);
    await s.shot('10-find');
  });

  it('a click on the greyed bird adds it; a click on the left one drops it', async () => {
    const { page } = s;
    await others().first().dispatchEvent('pointerdown');
    await expect.poll(() => picked().count()).toBe(2);
    const boxes = await picked().evaluateAll((els) => els.map((e) => [e.getBoundingClientRect().x, e]));
    expect(boxes).toHaveLength(2);
    // Drop the leftmost.
    const leftIndex = (await picked().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x))).reduce((best, x, i, xs) => (x < xs[best] ? i : best), 0);
    await picked().nth(leftIndex).dispatchEvent('pointerdown');
    await expect.poll(() => picked().count()).toBe(1);
    const [p, o] = [(await picked().boundingBox())!, (await others().boundingBox())!];
    expect(p.x).toBeGreaterThan(o.x);
    expect(await page.getByTestId('remove-panel').textContent()).toContain('Your picks replace what the words chose');
    await s.shot('11-find-adjusted');
  });

  it('renders exactly the picked bird as a new take', async () => {
    const { page } = s;
    await page.getByTestId('remove-panel').getByRole('button', { name: 'Remove 1 object' }).click();
    const job = page.getByTestId('job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 180_000 }).toBe('done');
    expect(await job.textContent()).toMatch(/removed 1 chosen object of 2 found/);
    await expect.poll(() => page.getByTestId('clip-active-take').textContent()).toMatch(/Take 1/);
    await page.keyboard.press('Home');
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="program-video"]')?.readyState ?? 0) >= 2);
    await s.shot('12-rendered');
  });

  it('judges it with the split wipe, side by side, A/B and the matte overlay', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Wipe' }).click();
    await page.getByTestId('wipe-line').waitFor();
    const screen = (await page.getByTestId('program-screen').boundingBox())!;
    await page.mouse.move(screen.x + screen.width * 0.6, screen.y + screen.height / 2);
    await page.mouse.down();
    await page.mouse.move(screen.x + screen.width * 0.7, screen.y + screen.height / 2, { steps: 3 });
    await page.mouse.up();
    const line = (await page.getByTestId('wipe-line').boundingBox())!;
    expect(Math.abs(line.x - (screen.x + screen.width * 0.7))).toBeLessThan(4);
    await page.waitForFunction(() => document.querySelectorAll('video').length >= 2 && [...document.querySelectorAll('video')].every((v) => v.readyState >= 2));
    await s.shot('13-wipe');
    await page.getByRole('button', { name: 'Side by side' }).click();
    await page.waitForTimeout(300);
    await s.shot('14-side-by-side');
    await page.getByRole('button', { name: 'Take', exact: true }).click();
    await page.keyboard.press('\\');
    await expect.poll(() => page.getByTestId('program-title').textContent()).toContain('Original (A)');
    await page.keyboard.press('\\');
    await expect.poll(() => page.getByTestId('program-title').textContent()).toContain('Take 1');
    await page.getByRole('button', { name: 'Take', exact: true }).click();
    await page.getByLabel('Matte', { exact: true }).check();
    await expect.poll(() => page.getByTestId('matte-overlay').getAttribute('data-ready'), { timeout: 20_000 }).toBe('true');
    await page.getByLabel('Matte opacity').fill('0.7');
    await page.waitForTimeout(300);
    await s.shot('15-matte-overlay');
    await page.getByLabel('Matte', { exact: true }).uncheck();
  });

  it('switches takes on the clip itself (right-click → Takes), and undoes it', async () => {
    const { page } = s;
    await page.getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Takes' }).hover();
    await s.shot('16-takes-menu');
    await page.getByRole('menuitemradio', { name: /Original/ }).click();
    await expect.poll(() => page.getByTestId('clip-active-take').textContent()).toBe('Original');
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.getByTestId('clip-active-take').textContent()).toMatch(/Take 1/);
  });

  it('saves, survives an engine restart, and reopens with the take', async () => {
    const { page } = s;
    const path = join(s.dir, 'birds.lacuna');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Save project as' });
    await dialog.locator('input').fill(path);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.dirty-marker').count()).toBe(0);
    await s.restart();
    await page.getByRole('button', { name: 'Open project…' }).click();
    const open = page.getByRole('dialog', { name: 'Open project' });
    await open.locator('input').fill(path);
    await open.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => page.getByTestId('clip-active-take').textContent()).toMatch(/Take 1/);
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="program-video"]')?.readyState ?? 0) >= 2);
    await s.shot('17-reopened');
    const unexpected = s.errors.filter((e) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|net::ERR_ABORTED/.test(e));
    expect(unexpected).toEqual([]);
  });

  it('recovers unsaved changes after a crash, from the welcome screen', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    await page.keyboard.press('Home');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('s');
    await expect.poll(() => page.getByTestId('clip').count()).toBe(2);
    // The autosave timer's work, done now; then the engine goes away without a save (a crash).
    expect(await s.host.service.autosave()).toMatch(/birds\.lacuna\.autosave$/);
    await s.restart();
    const offer = page.getByTestId('recovery');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('birds');
    expect(await page.getByTestId('recent-projects').textContent()).toContain('birds');
    await s.shot('18-recovery-offer');
    await offer.getByRole('button', { name: 'Recover' }).click();
    await expect.poll(() => page.getByTestId('clip').count()).toBe(2);
    expect(await page.locator('.dirty-marker').count()).toBe(1);
    await s.shot('19-recovered');
  });

  it('deletes a take after asking; its files go to the trash only when no other clip uses them', async () => {
    const { page } = s;
    // The engine runs in this process: its freedesktop.org trash goes under this folder (read when
    // the trash package first loads, at the first delete).
    process.env.XDG_DATA_HOME = join(s.dir, 'xdg');
    const deleteTake = async (clip: number) => {
      await page.getByTestId('track-V1').getByTestId('clip').nth(clip).click();
      await page.getByTestId('take').nth(1).getByRole('radio').click(); // the original must show first…
      await page.getByTestId('take').nth(0).getByRole('radio').click();
      await expect.poll(() => page.getByTestId('take').nth(1).getByRole('button', { name: 'Delete take' }).isEnabled()).toBe(true);
      const path = (await page.getByTestId('take').nth(1).locator('.take-path').getAttribute('title'))!;
      await page.getByTestId('take').nth(1).getByRole('button', { name: 'Delete take' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete take' });
      await s.shot('20-delete-take');
      await dialog.getByRole('button', { name: 'Delete take, move files to Trash' }).click();
      await expect.poll(() => page.getByTestId('take').count()).toBe(1);
      return path;
    };
    // The split made two clips showing the same render: deleting it from one keeps the file for the other.
    const file = await deleteTake(0);
    expect(existsSync(file)).toBe(true);
    await deleteTake(1);
    // The take leaves the panel with the project's change event, before the files' move to the
    // Trash (which answers the call) has finished.
    await expect.poll(() => existsSync(file)).toBe(false);
    await expect.poll(() => page.locator('.notifications').textContent()).toMatch(/moved to the Trash/);
    await s.shot('21-take-trashed');
    const infos = readdirSync(join(s.dir, 'xdg', 'Trash', 'info')).map((f) => readFileSync(join(s.dir, 'xdg', 'Trash', 'info', f), 'utf8'));
    expect(infos.some((t) => decodeURI(/^Path=(.*)$/m.exec(t)![1]) === file)).toBe(true);
  });
});

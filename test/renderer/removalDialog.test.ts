import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMALL_WORKING, writeAnalyticPack, writeTinyRandomPack } from '../helpers/fixturePacks';
import { writeLgviIFixturePack } from '../helpers/lgviIPack';
import { haveChromium } from './browser';
import { startEditorSession, type EditorSession, newProjectWithClip } from './editorSession';
import { probeMedia } from '../../src/engine/media/probe';

/*
 * The Remove dialog in Chromium through the bridge, with screenshots under
 * .tmp/screens/removal-dialog-NN-*.png: marked In/Out from the source viewer, the frames and the
 * starting take stated by the engine, LGVI's own settings (pack picker, scheduler list, composite
 * with its explanation, memory per window and what the memory plan will do here), a refused
 * setting as a sentence, a matte instead of words (Find disabled, saying why), an engine error in
 * the app's words, LGVI's Find through Lite's grounding and a render bounded by the pick with the
 * seed asked for, a Lite render of the marked frames from the original while an LGVI take is
 * active, and the dialog at 1280 and 1920 px with nothing wider than the window. Packs are
 * generated fixtures (tiny, CPU).
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let s: EditorSession;
let packs: { cleanup(): Promise<void> }[] = [];

beforeAll(async () => {
  s = await startEditorSession('lacuna-rdlg-e2e-');
  const dir = join(s.dir, 'packs');
  for (const name of ['Analytic Pack', 'Tiny Pack']) await mkdir(join(dir, name), { recursive: true });
  const analytic = await writeAnalyticPack({ working: SMALL_WORKING, dir: join(dir, 'Analytic Pack') });
  const tiny = await writeTinyRandomPack({ working: SMALL_WORKING, dir: join(dir, 'Tiny Pack'), name: 'Tiny pack', id: 'tiny', textLength: 'any' });
  // The second pack has LGVI-I's interactive part: the dialog offers LGVI-I too.
  await writeLgviIFixturePack(join(dir, 'Tiny Pack'), { scripted: true });
  packs = [analytic, tiny];
  for (const p of [analytic, tiny]) await s.host.service.handlers['models.add']({ dir: p.dir });
  await s.page.reload();
}, 240_000);

afterAll(async () => {
  await s?.close();
  for (const p of packs) await p.cleanup();
});

const panel = () => s.page.getByRole('dialog', { name: 'Remove by description' });

describe.runIf(haveChromium)('Remove panel settings in Chromium', () => {
  it('captures the source viewer’s In/Out and says which frames render, from which take', async () => {
    const { page } = s;
    await newProjectWithClip(page, TWO_BIRDS, 'two-birds');
    // Mark frames 2..7 on the clip's media in the source viewer.
    await page.getByTestId('media-item').click();
    for (let i = 0; i < 2; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('i');
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('o');
    await page.getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Remove by description/ }).click();
    await expect.poll(() => panel().getByTestId('remove-frames').textContent()).toBe('Renders 00:00:00:02–00:00:00:07 · 6 frames from the active take: Original');
    expect(await panel().getByRole('radio', { name: 'In/Out 2–7' }).isChecked()).toBe(true);
    expect(await panel().getByTestId('range-note').textContent()).toMatch(/do not cover the whole clip/);
    await panel().getByTestId('range-note').scrollIntoViewIfNeeded();
    await s.shot('removal-dialog-01-marked-range');
    await panel().getByRole('radio', { name: 'clip in/out' }).check();
    await expect.poll(() => panel().getByTestId('remove-frames').textContent()).toBe('Renders 00:00:00:00–00:00:00:17 · 18 frames from the active take: Original');
    expect(await panel().getByTestId('range-note').count()).toBe(0);
  });

  it("shows LGVI's settings as the engine states them: pack, steps, guidance, scheduler, window, composite, memory", async () => {
    const p = panel();
    expect(await p.getByLabel('Engine').locator('option').allTextContents()).toEqual(expect.arrayContaining(['Lite', 'LGVI', 'LGVI-I']));
    await p.getByLabel('Engine').selectOption('lgvi');
    await expect.poll(() => p.getByLabel('Model pack').locator('option').count()).toBe(2);
    await expect.poll(() => p.getByLabel('Steps').inputValue()).not.toBe('');
    const schedulers = await p.getByLabel('Scheduler').locator('option').allTextContents();
    expect(schedulers).toEqual(expect.arrayContaining(['DDIM (pack)', 'Euler ancestral', 'PNDM (PLMS)', 'LMS']));
    expect(await p.getByLabel('Window').isDisabled()).toBe(false);
    expect(await p.getByLabel('Composite').inputValue()).toBe('union');
    expect(await p.getByTestId('composite-explanation').textContent()).toMatch(/mask head's mask plus whatever the model changed/);
    await p.getByLabel('Composite').selectOption('full');
    expect(await p.getByTestId('composite-explanation').textContent()).toMatch(/Every pixel regenerated/);
    await p.getByLabel('Composite').selectOption('head');
    expect(await p.getByTestId('memory-estimate').textContent()).toMatch(/fp32, 64x40, 4 frames: batched guidance ~\d+ MB/);
    await p.getByLabel('Window').fill('8');
    await expect.poll(() => p.getByTestId('memory-estimate').textContent()).toMatch(/8 frames/);
    await p.getByLabel('Window').fill('4');
    await expect.poll(() => p.getByTestId('memory-estimate').textContent()).toMatch(/4 frames/);
    // What the job's memory plan will do on this machine (the CPU here: the tiny pack fits).
    await expect.poll(() => p.getByTestId('memory-plan').textContent()).toMatch(/^On CPU \(fp32, [\d.]+ [GM]B free\): it fits — batched guidance needs about/);
    expect(await p.getByLabel('Guidance passes').inputValue()).toBe('together');
    await p.getByTestId('memory-plan').scrollIntoViewIfNeeded();
    await s.shot('removal-dialog-02-lgvi-settings');
  });

  it('shows a setting the engine refuses as its sentence, and will not render it', async () => {
    const p = panel();
    await p.locator('textarea').fill('remove the bird on the left');
    await p.getByLabel('Steps').fill('0');
    await expect.poll(() => p.getByTestId('engine-problem').textContent()).toMatch(/^LGVI settings are not valid: Steps: /);
    expect(await p.getByRole('button', { name: 'Remove', exact: true }).isDisabled()).toBe(true);
    await p.getByTestId('engine-problem').scrollIntoViewIfNeeded();
    await s.shot('removal-dialog-03-refused-setting');
    await p.getByLabel('Steps').fill('2');
    await expect.poll(() => p.getByTestId('engine-problem').count()).toBe(0);
  });

  it('takes a matte file instead of words, with Find disabled and the reason shown', async () => {
    const p = panel();
    await p.getByRole('radio', { name: 'matte file' }).check();
    await p.getByLabel('Matte file', { exact: true }).fill(join(s.dir, 'matte.mov'));
    await expect.poll(() => p.getByTestId('engine-problem').textContent()).toMatch(/LGVI removes by words, not by a matte/);
    expect(await p.getByRole('button', { name: 'Find' }).isDisabled()).toBe(true);
    expect(await p.getByTestId('find-disabled-reason').textContent()).toMatch(/A matte says exactly what to remove/);
    await p.getByLabel('Engine').selectOption('lite');
    await expect.poll(() => p.getByTestId('engine-problem').count()).toBe(0);
    await expect.poll(() => p.getByLabel('Working size').inputValue()).toBe('960');
    await s.shot('removal-dialog-04-matte');
    await p.getByRole('radio', { name: 'words' }).check();
  });

  it("words an engine's error for the app: no command-line option in it", async () => {
    const p = panel();
    await p.locator('textarea').fill('remove the unicorn');
    await p.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => p.getByTestId('remove-error').textContent(), { timeout: 60_000 }).toMatch(/doesn't know what "unicorn" is/);
    const error = (await p.getByTestId('remove-error').textContent())!;
    expect(error).toMatch(/choose a matte file in the Remove panel/);
    expect(error).not.toMatch(/--[a-z]/);
    await p.getByTestId('remove-error').scrollIntoViewIfNeeded();
    await s.shot('removal-dialog-05-gui-error');
    await p.locator('textarea').fill('remove the bird on the left');
    await p.getByLabel('Engine').selectOption('lgvi');
  });

  it("previews LGVI's words with Lite's grounding, and renders bounded by the pick with the seed asked for; the job and take say where it ran", async () => {
    const { page } = s;
    const p = panel();
    await expect.poll(() => p.getByTestId('find-note').textContent()).toMatch(/Find previews the words with Lite's detector/);
    await p.getByLabel('Steps').fill('2');
    await p.getByLabel('Seed').fill('7');
    await p.getByLabel('Composite').selectOption('head');
    await p.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => p.getByTestId('find-explanation').textContent(), { timeout: 120_000 }).toMatch(/matched 1 of 2 birds: the left one.*LGVI still makes its own mask/);
    await p.getByTestId('find-result').scrollIntoViewIfNeeded();
    await s.shot('removal-dialog-06-lgvi-find');
    await p.getByRole('button', { name: 'Remove 1 object' }).click();
    const job = page.getByTestId('job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 180_000 }).toMatch(/done|failed/);
    expect(await job.textContent()).not.toMatch(/failed/i);
    await expect.poll(() => job.getByTestId('job-provider').textContent()).toBe(' · ran on CPU');
    await page.getByTestId('clip').click();
    await expect.poll(() => page.getByTestId('take-settings').last().textContent()).toMatch(/provider cpu/);
    const settings = (await page.getByTestId('take-settings').last().textContent())!;
    expect(settings).toMatch(/seed 7/);
    expect(settings).toMatch(/composite head.*boundedBy/);
    await page.getByTestId('take-settings').last().scrollIntoViewIfNeeded();
    await s.shot('removal-dialog-07-lgvi-take');
  });

  it('renders only the marked frames, from the original, while the LGVI take stays on the clip', async () => {
    const { page } = s;
    const before = (await s.host.service.handlers['project.get'](undefined as never))!;
    const clipBefore = before.sequences[0].tracks.flatMap((t) => t.clips)[0];
    const lgviTake = clipBefore.activeTakeId;
    await page.getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Remove by description/ }).click();
    const p = panel();
    await p.getByLabel('Engine').selectOption('lite');
    await p.getByRole('radio', { name: 'In/Out 2–7' }).check();
    await p.getByRole('radio', { name: 'original' }).check();
    await expect.poll(() => p.getByTestId('remove-frames').textContent()).toBe('Renders 00:00:00:02–00:00:00:07 · 6 frames from the original: Original');
    expect(await p.getByTestId('range-note').textContent()).toMatch(/keeps showing its current take/);
    await p.locator('textarea').fill('remove the bird on the left');
    await s.shot('removal-dialog-08-lite-marked-original');
    await p.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => page.getByTestId('job').first().getAttribute('data-state'), { timeout: 180_000 }).toMatch(/done|failed/);
    expect(await page.getByTestId('job').first().textContent()).not.toMatch(/failed/i);
    const after = (await s.host.service.handlers['project.get'](undefined as never))!;
    const clip = after.sequences[0].tracks.flatMap((t) => t.clips)[0];
    expect(clip.activeTakeId).toBe(lgviTake);
    const lite = clip.takes[clip.takes.length - 1];
    expect(lite).toMatchObject({ kind: 'generated', engine: 'lite', sourceStart: 2 });
    // Exactly the six marked frames, read from the original (the Lite take was not made from LGVI's).
    const info = await probeMedia(lite.path);
    expect(info.video?.frameCount).toBe(6);
  });

  it('fits the window at 1280 and 1920 px: nothing wider than the page, the settings readable', async () => {
    const { page } = s;
    await page.getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Remove by description/ }).click();
    const p = panel();
    await p.getByLabel('Engine').selectOption('lgvi');
    await expect.poll(() => p.getByTestId('memory-plan').count()).toBe(1);
    for (const [n, width, height] of [[9, 1280, 800], [10, 1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      // No control in the panel sticks out of it (a clipped select or number box).
      const sticking = await p.evaluate((panelEl) => {
        const box = panelEl.getBoundingClientRect();
        return [...panelEl.querySelectorAll('input, select, textarea, button, p, li')]
          .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > box.right + 0.5 || r.left < box.left - 0.5 || el.scrollWidth > el.clientWidth + 1);
          })
          .map((el) => el.outerHTML.slice(0, 80));
      });
      expect(sticking).toEqual([]);
      // 1280: the LGVI settings and the memory plan; 1920: the panel from its top.
      await (width === 1280 ? p.getByTestId('memory-plan') : p.getByTestId('remove-frames')).scrollIntoViewIfNeeded();
      await s.shot(`removal-dialog-${String(n).padStart(2, '0')}-lgvi-${width}`);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    // The media server answers 503 + Retry-After while too many previews start at once (the
    // viewer retries; mediaHandler.ts): busy, not broken. Anything else is a fault.
    expect(s.errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
  });
});

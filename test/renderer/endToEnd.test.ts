import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from './browser';
import { type EditorSession, eventually, importThroughDialog, listenToProgramSound, makeCameraClip, playheadFrame, startEditorSession } from './editorSession';

/*
 * Issue 11's whole flow as one chain, in Chromium through the bridge, each step building on the
 * last, a screenshot at each under .tmp/screens/e2e-NN-step.png: import two-birds (25 fps) and an
 * mp4 with sound → sequence settings from the first clip → both on the timeline (thumbnails and a
 * waveform) → trim and move → play across the clips → right-click Remove by description → Find →
 * click to change the pick → render → wipe and matte overlay → switch takes on the clip → undo →
 * save → restart the bridge → reopen → recover after a crash. The single steps are checked in
 * more depth in timelineFlow and removalFlow; this is the editor's day in one piece.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let s: EditorSession;
let camera: string;

beforeAll(async () => {
  s = await startEditorSession('lacuna-e2e-');
  camera = makeCameraClip(join(s.dir, 'A003_C007 harbour.mp4'));
}, 180_000);

afterAll(async () => {
  await s?.close();
});

let step = 0;
/** The next numbered screenshot of the flow. */
const shot = (name: string) => s.shot(`e2e-${String(++step).padStart(2, '0')}-${name}`);
/** Every picture layer shows its frame (a proxied one once its stream starts at that frame). */
const videoReady = () =>
  s.page.waitForFunction(
    () => [...document.querySelectorAll('video')].every((v) => v.readyState >= 2 && !v.seeking && (v.dataset.streamFrame === undefined || !v.dataset.frame || v.dataset.streamFrame === v.dataset.frame)),
    undefined,
    { timeout: 30_000 },
  );
const clipLabel = (track: string, n: number) => s.page.getByTestId(`track-${track}`).getByTestId('clip').nth(n).getAttribute('aria-label');
const picked = () => s.page.locator('[data-testid="found-object"][data-picked="true"]');
const others = () => s.page.locator('[data-testid="found-object"][data-picked="false"]');
const birdsClip = () => s.page.getByTestId('track-V1').getByTestId('clip').nth(0);
const activeTake = () => birdsClip().getByTestId('clip-active-take').textContent();

describe.runIf(haveChromium)("an editor's session, end to end", () => {
  it('imports two-birds at 25 fps and an mp4 with sound', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await importThroughDialog(page, [TWO_BIRDS, camera], '25 fps', () => shot('import'));
    await eventually(() => page.getByTestId('media-item').count()).toBe(2);
    expect(await page.getByTestId('media-item').nth(0).textContent()).toContain('two-birds');
    await shot('imported');
  });

  it('takes the sequence settings from the first clip and lays both down, the mp4 with its sound', async () => {
    const { page } = s;
    await page.getByTestId('media-item').nth(0).getByRole('button', { name: 'Add to sequence' }).click();
    const prompt = page.getByRole('dialog', { name: 'Sequence settings' });
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('568×320 at 25 fps');
    await shot('sequence-settings');
    await prompt.getByRole('button', { name: 'Use clip settings' }).click();
    await eventually(() => page.getByTestId('sequence-format').textContent()).toContain('568×320 · 25 fps · starts 01:00:00:00');
    await page.getByTestId('media-item').nth(1).getByRole('button', { name: 'Add to sequence' }).click();
    await eventually(() => page.getByTestId('clip').count()).toBe(3);
    expect(await page.getByTestId('track-V1').getByTestId('conform').textContent()).toBe('24 → 25 fps');
    await page.keyboard.press('Shift+Z');
    await expect.poll(() => page.locator('[data-testid="clip-thumbnails"][data-loaded="true"]').count(), { timeout: 60_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid="clip-waveform"][data-loaded="true"]').count(), { timeout: 60_000 }).toBe(1);
    await videoReady();
    await shot('timeline');
  });

  it("trims the mp4's tail and moves it later, leaving a gap; its sound follows both", async () => {
    const { page } = s;
    const clip = page.getByTestId('track-V1').getByTestId('clip').nth(1);
    let box = (await clip.boundingBox())!;
    await page.mouse.move(box.x + box.width - 3, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 70, box.y + 20, { steps: 6 });
    await eventually(() => page.getByTestId('trim-readout').textContent()).toMatch(/^Out −\d+ fr$/);
    await shot('trimming');
    await page.mouse.up();
    await eventually(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Trim Clip');
    const frames = Number(/(\d+) frames/.exec((await clipLabel('V1', 1))!)![1]);
    expect(frames).toBeLessThan(100);
    expect(await clipLabel('A1', 0)).toContain(`${frames} frames`);

    box = (await clip.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 50, box.y + 22, { steps: 8 });
    await page.mouse.up();
    await eventually(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Move Clip');
    const moved = (await clipLabel('V1', 1))!;
    expect(moved).not.toContain('at 01:00:00:18');
    expect((await clipLabel('A1', 0))!.replace(/^.*? at /, '')).toBe(moved.replace(/^.*? at /, ''));
    await shot('moved');
  });

  it('plays across the clips: the birds, black in the gap, then the mp4 with its sound', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowRight'); // frame 10, in the birds
    expect(await page.getByTestId('program-title').textContent()).toContain('two-birds');
    // Where the mp4 starts now (the ↓ key goes to the next edit point: the birds' end, then it).
    await page.keyboard.press('ArrowDown');
    const birdsEnd = await playheadFrame(page);
    expect(birdsEnd).toBe(18);
    await page.keyboard.press('ArrowDown');
    const cameraStart = await playheadFrame(page);
    expect(cameraStart).toBeGreaterThan(18);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowRight');
    const sound = page.getByTestId('program-sound');
    await expect.poll(() => sound.getAttribute('src'), { timeout: 30_000 }).toMatch(/\.wav$/);
    const level = await listenToProgramSound(page);
    // What the viewer shows as it plays: the title of each picture it passes, and the gap.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      const look = () => {
        const screen = document.querySelector('[data-testid="program-screen"]');
        const what = screen?.getAttribute('data-gap') === 'true' ? 'gap' : (document.querySelector('[data-testid="program-title"]')?.textContent ?? '');
        if (seen[seen.length - 1] !== what) seen.push(what);
        if (seen.length < 20) requestAnimationFrame(look);
      };
      look();
    });
    await page.keyboard.press('Space');
    await expect.poll(() => playheadFrame(page), { timeout: 15_000 }).toBeGreaterThan(cameraStart + 12);
    await expect.poll(level, { timeout: 5_000 }).toBeGreaterThan(0.02);
    await page.keyboard.press('Space');
    await videoReady();
    await shot('played-across');
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen.map((t) => t.replace(/ —.*$/, ''))).toEqual(['two-birds', 'gap', 'A003_C007 harbour.mp4']);
  });

  it('right-click on the birds → Remove by description, Find: the matched bird tinted, the other greyed', async () => {
    const { page } = s;
    await page.keyboard.press('Home');
    await birdsClip().click({ button: 'right' });
    await page.getByRole('menuitem', { name: /Remove by description/ }).waitFor();
    await shot('context-menu');
    await page.getByRole('menuitem', { name: /Remove by description/ }).click();
    const panel = page.getByRole('dialog', { name: 'Remove by description' });
    await panel.locator('textarea').fill('remove the bird on the left');
    await shot('remove-dialog');
    await panel.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => panel.getByTestId('find-explanation').textContent(), { timeout: 280_000 }).toMatch(/matched 1 of 2 birds: the left one/);
    await eventually(() => picked().count()).toBe(1);
    expect(await others().count()).toBe(1);
    const [p, o] = [(await picked().boundingBox())!, (await others().boundingBox())!];
    expect(p.x).toBeLessThan(o.x);
    // The explanation sits below the settings: scrolled to, as the editor would read it.
    await panel.getByTestId('find-explanation').scrollIntoViewIfNeeded();
    await videoReady();
    await shot('find');
  }, 300_000);

  it('a click on the greyed bird adds it, a click on the left one drops it', async () => {
    await others().first().dispatchEvent('pointerdown');
    await eventually(() => picked().count()).toBe(2);
    const xs = await picked().evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
    await picked().nth(xs.indexOf(Math.min(...xs))).dispatchEvent('pointerdown');
    await eventually(() => picked().count()).toBe(1);
    expect((await picked().boundingBox())!.x).toBeGreaterThan((await others().boundingBox())!.x);
    await shot('find-adjusted');
  });

  it('renders the picked bird away as Take 1 of the clip, the job card naming each stage as it runs', async () => {
    const { page } = s;
    // Every stage the job card shows while it runs, as it changes.
    await page.evaluate(() => {
      const stages: string[] = [];
      (window as unknown as { stages: string[] }).stages = stages;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="job-stage"]')?.textContent?.replace(/ .*$/, '');
        if (text && stages[stages.length - 1] !== text) stages.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('remove-panel').getByRole('button', { name: 'Remove 1 object' }).click();
    const job = page.getByTestId('job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 580_000 }).toBe('done');
    // Each stage reported itself, in the pipeline's order: finding the objects, then filling them.
    const stages = await page.evaluate(() => (window as unknown as { stages: string[] }).stages);
    expect(stages).toContain('Finding');
    expect(stages).toContain('Filling');
    expect(stages.indexOf('Finding')).toBeLessThan(stages.lastIndexOf('Filling'));
    expect(await job.textContent()).toMatch(/removed 1 chosen object of 2 found/);
    await eventually(activeTake).toMatch(/Take 1/);
    await page.keyboard.press('Home');
    await videoReady();
    await shot('rendered');
  }, 600_000);

  it('judges it with the split wipe and the matte overlay', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Wipe' }).click();
    await page.getByTestId('wipe-line').waitFor();
    const screen = (await page.getByTestId('program-screen').boundingBox())!;
    await page.mouse.move(screen.x + screen.width * 0.5, screen.y + screen.height / 2);
    await page.mouse.down();
    await page.mouse.move(screen.x + screen.width * 0.42, screen.y + screen.height / 2, { steps: 3 });
    await page.mouse.up();
    expect(Math.abs((await page.getByTestId('wipe-line').boundingBox())!.x - (screen.x + screen.width * 0.42))).toBeLessThan(4);
    await page.waitForFunction(() => document.querySelectorAll('video').length >= 2);
    await videoReady();
    await shot('wipe');
    await page.getByRole('button', { name: 'Take', exact: true }).click();
    await page.getByLabel('Matte', { exact: true }).check();
    await expect.poll(() => page.getByTestId('matte-overlay').getAttribute('data-ready'), { timeout: 30_000 }).toBe('true');
    await page.getByLabel('Matte opacity').fill('0.6');
    await videoReady();
    await shot('matte-overlay');
    await page.getByLabel('Matte', { exact: true }).uncheck();
  });

  it('switches to the original on the clip itself (right-click → Takes), then undoes that', async () => {
    const { page } = s;
    await birdsClip().click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Takes' }).hover();
    await page.getByRole('menuitemradio', { name: /Original/ }).waitFor();
    await shot('takes-menu');
    await page.getByRole('menuitemradio', { name: /Original/ }).click();
    await eventually(activeTake).toBe('Original');
    await videoReady();
    await shot('original-take');
    await page.keyboard.press('Control+z');
    await eventually(activeTake).toMatch(/Take 1/);
    await videoReady();
    await shot('undone');
  });

  it('saves, restarts the bridge, and reopens the project with its take and both clips', async () => {
    const { page } = s;
    const path = join(s.dir, 'harbour birds.lacuna');
    await page.keyboard.press('Control+s');
    const dialog = page.getByRole('dialog', { name: 'Save project as' });
    await dialog.locator('input').fill(path);
    await shot('save-as');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => page.locator('.dirty-marker').count()).toBe(0);
    await s.restart();
    await page.getByRole('button', { name: 'Open project…' }).waitFor();
    await shot('restarted');
    await page.getByRole('button', { name: 'Open project…' }).click();
    const open = page.getByRole('dialog', { name: 'Open project' });
    await open.locator('input').fill(path);
    await open.getByRole('button', { name: 'Open' }).click();
    await eventually(activeTake).toMatch(/Take 1/);
    expect(await page.getByTestId('clip').count()).toBe(3);
    await expect.poll(() => page.locator('[data-testid="clip-thumbnails"][data-loaded="true"]').count(), { timeout: 60_000 }).toBe(2);
    // Opened fitted: the sequence's last clip ends within the timeline's view.
    const view = (await page.getByTestId('timeline-scroll').boundingBox())!;
    const last = (await page.getByTestId('track-V1').getByTestId('clip').nth(1).boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(view.x + view.width);
    expect(last.x + last.width).toBeGreaterThan(view.x + view.width * 0.7);
    await videoReady();
    await shot('reopened');
  });

  it('after a crash with unsaved edits, offers the recovery and recovers them; a new project then lists none of its jobs', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    await page.keyboard.press('Home');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('s');
    await eventually(() => page.getByTestId('clip').count()).toBe(4);
    expect(await s.host.service.autosave()).toMatch(/harbour birds\.lacuna\.autosave$/);
    await s.restart();
    const offer = page.getByTestId('recovery');
    await offer.waitFor();
    expect(await offer.textContent()).toContain('harbour birds');
    await shot('recovery-offer');
    await offer.getByRole('button', { name: 'Recover' }).click();
    await eventually(() => page.getByTestId('clip').count()).toBe(4);
    expect(await page.locator('.dirty-marker').count()).toBe(1);
    await videoReady();
    await shot('recovered');
    // A new project's Jobs panel lists none of this one's jobs (it once listed them, Retry and all).
    expect(await page.getByTestId('job').count()).toBe(1);
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByRole('dialog', { name: 'Unsaved changes' }).getByRole('button', { name: 'Don’t save' }).click();
    await eventually(() => page.getByTestId('clip').count()).toBe(0);
    expect(await page.getByTestId('job').count()).toBe(0);
    expect(await page.getByText('No jobs yet').count()).toBe(1);
    await shot('new-project');
    const unexpected = s.errors.filter((e) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|net::ERR_ABORTED|status of 503/.test(e));
    expect(unexpected).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/engine/app/bridge/browserHost';
import { makeClip, tempDir } from '../app/fixtures';
import { haveChromium, launchChromium } from './browser';
import { buildRenderer } from './buildRenderer';
import { SCREENS } from './editorSession';

/*
 * The real renderer, built as for Electron, running in Chromium against a real engine (the HTTP
 * bridge over AppService in a temp folder): an editor's first session from a new project to a
 * transcoded take, undone. Only the transport differs from the desktop app.
 */
const SCREENSHOT = process.env.LACUNA_SCREENSHOT ?? join('/tmp', 'lacuna-editor.png');

let tmp: { dir: string; cleanup: () => void };
let host: BrowserHost;
let browser: Browser;
let page: Page;
let clip: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  tmp = tempDir('lacuna-e2e-');
  const rendererDir = join(tmp.dir, 'renderer');
  await buildRenderer(rendererDir);
  // Long enough at this size for a ProRes transcode to report progress more than once.
  clip = makeClip(join(tmp.dir, 'A001_C002 interview.mp4'), { codec: 'h264', seconds: 8, size: '960x540', fps: '24' });
  host = await startBrowserHost({ dataDir: join(tmp.dir, 'data'), rendererDir, log: () => {} });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  tmp?.cleanup();
});

describe.runIf(haveChromium)('editor in Chromium over the HTTP bridge', () => {
  it('starts on the welcome screen with the engine connected', async () => {
    await page.goto(host.url);
    await page.getByRole('button', { name: 'New project' }).waitFor();
    await expect.poll(() => page.locator('.status-bar').textContent()).toContain('browser bridge');
    await expect.poll(() => page.locator('.status-bar').textContent()).toMatch(/ffmpeg version/);
  });

  it('creates a project', async () => {
    await page.getByRole('button', { name: 'New project' }).click();
    await expect.poll(() => page.getByTestId('project-title').textContent()).toContain('Untitled');
    await page.getByRole('tab', { name: 'Sequence 1' }).waitFor();
  });

  it('imports a clip and shows what probing found', async () => {
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import media' });
    await dialog.locator('textarea').fill(clip);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const item = page.getByTestId('media-item');
    await item.waitFor();
    const probe = await item.getByTestId('probe-info').textContent();
    expect(probe).toContain('960×540');
    expect(probe).toContain('FPS24');
    expect(probe).toContain('h264');
    expect(probe).toContain('yuv420p 8-bit');
    expect(probe).toContain('bt709 / bt709 / bt709');
    expect(probe).toContain('192 fr');
    await expect.poll(() => page.locator('.dirty-marker').count()).toBe(1);
  });

  it('adds it to the sequence and plays it through the media endpoint', async () => {
    await page.getByTestId('media-item').getByRole('button', { name: 'Add to sequence' }).click();
    // The first clip is 960×540 on a 1920×1080 sequence: Lacuna asks; keep the sequence as it is.
    await page.getByRole('dialog', { name: 'Sequence settings' }).getByRole('button', { name: 'Keep sequence settings' }).click();
    const clipCard = page.getByTestId('track-V1').getByTestId('clip');
    await clipCard.waitFor();
    expect(await clipCard.textContent()).toContain('A001_C002 interview.mp4');
    await clipCard.click();
    await expect.poll(() => page.getByTestId('take').count()).toBe(1);
    // The viewer loads the file over /media with Range requests; Chromium decodes it.
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2, null, { timeout: 20_000 });
  });

  it('runs a removal with the Lite engine and says what it found', async () => {
    await page.getByTestId('track-V1').getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Remove by description…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove by description' });
    expect(await dialog.getByTestId('removal-engine').textContent()).toContain('Lite');
    await dialog.locator('textarea').fill('remove the man on the left');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    // A test pattern has no people in it: the job finishes, changes nothing, and says so.
    const job = page.getByTestId('job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 200_000 }).toBe('done');
    expect(await job.getByTestId('job-note').textContent()).toMatch(/no man found in this clip/);
    await expect.poll(() => page.getByTestId('take').count()).toBe(1);
  }, 240_000); // detection over 192 frames on a shared 2-core machine

  it('runs a transcode job with live progress until done', async () => {
    await page.getByTestId('track-V1').getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Transcode…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Transcode' });
    await dialog.getByLabel('Codec').selectOption('prores_hq');
    await dialog.getByRole('button', { name: 'Queue transcode' }).click();

    const job = page.getByTestId('job').first();
    await job.waitFor();
    // Sample the progress bar while the job runs: it must move through intermediate values.
    const seen = new Set<number>();
    const deadline = Date.now() + 120_000;
    let state = await job.getAttribute('data-state');
    while (state !== 'done' && state !== 'failed' && Date.now() < deadline) {
      const now = await job.getByRole('progressbar').getAttribute('aria-valuenow').catch(() => null);
      if (now !== null) seen.add(Number(now));
      await page.waitForTimeout(40);
      state = await job.getAttribute('data-state');
    }
    const text = await job.textContent();
    expect(state, text ?? '').toBe('done');
    expect([...seen].some((v) => v > 0 && v < 100), `progress seen: ${[...seen].join(',')}`).toBe(true);
  });

  it('shows the new take on the clip, makes it active, and undoes that', async () => {
    const takes = page.getByTestId('take');
    await expect.poll(() => takes.count()).toBe(2);
    const generated = takes.nth(1);
    expect(await generated.textContent()).toContain('generated');
    const activeLabel = () => page.getByTestId('clip-active-take').textContent();

    // The radio shows the project's state, so it changes once the engine has switched the take:
    // click, then wait for the clip to show it (Playwright's check() expects an instant change).
    await takes.nth(0).getByRole('radio').click();
    await expect.poll(activeLabel).toBe('Original');
    const newLabel = (await generated.locator('.take-label').textContent())!;
    await generated.getByRole('radio').click();
    await expect.poll(activeLabel).toBe(newLabel);
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Switch Take');

    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(activeLabel).toBe('Original');
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(activeLabel).toBe(newLabel);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(activeLabel).toBe('Original');
  });

  it('saves the project under a typed path', async () => {
    const path = join(tmp.dir, 'interview.lacuna');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Save project as' });
    await dialog.locator('input').fill(path);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('.dirty-marker').count()).toBe(0);
    expect(await page.getByTestId('project-title').textContent()).toContain(path);
    await page.screenshot({ path: SCREENSHOT });
    expect(pageErrors).toEqual([]);
  });

  it('after a quit mid-job, lists the job as interrupted, says what Retry does, and Retry finishes it', async () => {
    await page.getByTestId('track-V1').getByTestId('clip').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Transcode…' }).click();
    const transcode = page.getByRole('dialog', { name: 'Transcode' });
    await transcode.getByLabel('Codec').selectOption('dnxhr_hq');
    await transcode.getByRole('button', { name: 'Queue transcode' }).click();
    const running = page.getByTestId('job').first();
    await expect.poll(() => running.getAttribute('data-state'), { timeout: 60_000 }).toBe('running');
    // Quit the engine while the job runs, and start it again on the same data folder.
    await host.close();
    host = await startBrowserHost({ dataDir: join(tmp.dir, 'data'), rendererDir: join(tmp.dir, 'renderer'), log: () => {} });
    await page.goto(host.url);
    // The old page's open requests (events, media) were cut when the engine quit: expected here.
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !/ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE/.test(e)));
    await page.getByRole('button', { name: 'Open project…' }).click();
    const open = page.getByRole('dialog', { name: 'Open project' });
    await open.locator('input, textarea').first().fill(join(tmp.dir, 'interview.lacuna'));
    await open.getByRole('button', { name: 'Open' }).click();
    const job = page.locator('[data-testid="job"][data-state="interrupted"]');
    await job.waitFor();
    expect(await job.locator('.badge').textContent()).toBe('Interrupted');
    expect(await job.textContent()).toContain('Lacuna quit before this job finished');
    expect(await job.locator('.hint').textContent()).toMatch(/Retry transcodes it again from the first frame/);
    const doneBefore = await page.locator('[data-testid="job"][data-state="done"]').count();
    await job.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.locator('[data-testid="job"][data-state="done"]').count(), { timeout: 120_000 }).toBe(doneBefore + 1);
    expect(await page.locator('[data-testid="job"][data-state="interrupted"]').count()).toBe(0);
    await page.getByTestId('track-V1').getByTestId('clip').click();
    await expect.poll(() => page.getByTestId('take').count()).toBe(3); // the original, the ProRes take, the retried DNxHR one
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });

  it('imports an image sequence with a missing frame and says so in a note that stays until dismissed', async () => {
    const dir = join(tmp.dir, 'sh030');
    mkdirSync(dir);
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-frames:v', '8', '-start_number', '1', join(dir, 'sh030.%04d.png')]);
    rmSync(join(dir, 'sh030.0004.png'));
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import media' });
    await dialog.locator('textarea').fill(dir);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const note = page.locator('.note.warning');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/sh030: 1 frame missing from sh030\.%04d\.png \(sh030\.0004\.png\): it is read as the 7 frames that exist/);
    await page.screenshot({ path: join(SCREENS, 'editor-import-warning.png') });
    // An info note goes by itself after 4 s; the warning stays.
    await page.waitForTimeout(4500);
    expect(await note.count()).toBe(1);
    await note.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.locator('.note.warning').count()).toBe(0);
  });
});

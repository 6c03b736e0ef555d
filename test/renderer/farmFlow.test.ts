import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lacuna } from '../cli/cliHarness';
import { RedisServer, startWorker, stopWorker, type WorkerProcess } from '../farm/farmHarness';
import { haveTwoBirds, TWO_BIRDS } from '../farm/farmFixtures';
import { haveChromium } from './browser';
import { startEditorSession, type EditorSession } from './editorSession';
import { canRunWith } from '../helpers/externalTools';

/*
 * The render farm in the app, in Chromium through the bridge, on a real farm: Debian's
 * redis-server on loopback and one real `lacuna worker`, screenshots under .tmp/screens/farm-*.png.
 * While the farm's Redis does not answer, "Run on: farm" is disabled with the reason; once it
 * does and the project is saved on the workers' storage, a Lite removal sent to the farm shows in
 * the Jobs panel with the worker's name and progress, finishes, and Collect puts the take on the clip.
 */

let s: EditorSession;
let redis: RedisServer;
let worker: WorkerProcess | null = null;
let shared: string;

beforeAll(async () => {
  // The farm's Redis is set up but down at first (started, then stopped: its port is known).
  const tmp = join((await import('node:os')).tmpdir(), `lacuna-farm-ui-${process.pid}`);
  redis = await RedisServer.start(join(tmp, 'redis'));
  await redis.stop();
  s = await startEditorSession('lacuna-farm-ui-', undefined, { farm: { url: redis.url } });
  shared = join(s.dir, 'shared');
  mkdirSync(shared);
  const made = await lacuna('transcode', TWO_BIRDS, '--fps', '25', '-o', join(shared, 'two-birds.mov'));
  expect(made.code, made.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  if (worker) await stopWorker(worker);
  await redis?.stop();
  await s?.close();
}, 60_000);

async function openRemove() {
  const { page } = s;
  await page.getByTestId('clip').first().click({ button: 'right' });
  await page.getByRole('menuitem', { name: /Remove by description/ }).click();
  return page.getByRole('dialog', { name: 'Remove by description' });
}

describe.runIf(haveChromium && canRunWith('redis-server') && haveTwoBirds)('render farm in the app', () => {
  it('offers "Run on: farm" only when the farm answers, with the reason in one line', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Import…' }).click();
    const media = page.getByRole('dialog', { name: 'Import media' });
    await media.locator('textarea').fill(join(shared, 'two-birds.mov'));
    await media.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('media-item').count(), { timeout: 60_000 }).toBe(1);
    await page.getByTestId('media-item').first().getByRole('button', { name: 'Add to sequence' }).click();
    await page.getByRole('dialog', { name: 'Sequence settings' }).getByRole('button', { name: 'Use clip settings' }).click();
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 30_000 }).toBe(1);

    const panel = await openRemove();
    const farm = panel.getByRole('radio', { name: 'farm' });
    await expect.poll(() => panel.getByTestId('run-on-reason').textContent(), { timeout: 30_000 }).toMatch(/^The farm’s Redis \(redis:\/\/127\.0\.0\.1:\d+\) does not answer\.$/);
    expect(await farm.isDisabled()).toBe(true);
    expect(await panel.getByRole('radio', { name: 'this machine' }).isChecked()).toBe(true);
    await s.shot('farm-01-unavailable');

    // Redis comes up with a worker, but the project is not saved: the workers could not see its renders.
    await redis.restart(0);
    worker = await startWorker(redis.url, 'ui-w1', ['--root', shared], { LACUNA_DATA_DIR: join(s.dir, 'worker-data') });
    await panel.getByRole('button', { name: 'Close' }).click();
    await openRemove();
    await expect.poll(() => panel.getByTestId('run-on-reason').textContent(), { timeout: 30_000 }).toMatch(/^Save the project first/);
    expect(await farm.isDisabled()).toBe(true);
    expect(s.errors).toEqual([]);
  }, 240_000);

  it('sends a Lite removal to the farm, shows it with the worker and progress, and Collect puts the take on the clip', async () => {
    const { page } = s;
    await page.getByRole('dialog', { name: 'Remove by description' }).getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Save As…' }).click();
    const save = page.getByRole('dialog', { name: 'Save project as' });
    await save.locator('input').fill(join(shared, 'birds.lacuna'));
    await save.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByTestId('project-title').textContent(), { timeout: 30_000 }).toContain('birds.lacuna');

    const panel = await openRemove();
    const farm = panel.getByRole('radio', { name: 'farm' });
    await expect.poll(() => farm.isDisabled(), { timeout: 30_000 }).toBe(false);
    await farm.check();
    await expect.poll(() => panel.getByTestId('run-on-reason').textContent(), { timeout: 30_000 }).toBe('1 worker online: ui-w1');
    await panel.locator('textarea').fill('remove the bird on the left');
    await page.getByLabel('Working size').fill('320');
    await s.shot('farm-02-run-on-farm');
    await panel.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Remove by description' }).count(), { timeout: 30_000 }).toBe(0);

    const job = page.getByTestId('farm-job');
    await expect.poll(() => job.count(), { timeout: 30_000 }).toBe(1);
    // It is on the farm, not in this machine's queue.
    expect(await page.getByTestId('job').count()).toBe(0);
    await expect.poll(() => job.getByTestId('farm-job-line').textContent(), { timeout: 120_000, interval: 250 }).toMatch(/\bon ui-w1\b/);
    await s.shot('farm-03-rendering');
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 300_000, interval: 1000 }).toBe('done');
    const collect = page.getByRole('button', { name: 'Collect finished (1)' });
    await expect.poll(() => collect.count(), { timeout: 30_000 }).toBe(1);
    await s.shot('farm-04-done');
    await collect.click();
    await page.getByTestId('clip').first().click();
    await expect.poll(() => page.getByTestId('take').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => job.getByTestId('farm-job-line').textContent(), { timeout: 30_000 }).toContain('in the project');
    expect(await collect.count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="take"].active .take-label').textContent(), { timeout: 30_000 }).not.toBe('Original');
    // Let the program viewer show the new take's picture before the screenshot.
    await page.waitForTimeout(1500);
    await s.shot('farm-05-collected');
    expect(s.errors).toEqual([]);
  }, 480_000);

  it('cancels a farm take from the Jobs panel, and Retry queues it again', async () => {
    const { page } = s;
    const panel = await openRemove();
    await expect.poll(() => panel.getByRole('radio', { name: 'farm' }).isDisabled(), { timeout: 30_000 }).toBe(false);
    await panel.getByRole('radio', { name: 'farm' }).check();
    await panel.locator('textarea').fill('remove the bird on the right');
    await panel.getByRole('button', { name: 'Remove' }).click();
    const jobs = page.getByTestId('farm-job');
    await expect.poll(() => jobs.count(), { timeout: 30_000 }).toBe(2);
    // Newest first.
    const job = jobs.first();
    expect(await job.locator('.job-label').textContent()).toContain('remove the bird on the right');
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).toBe('cancelled');
    await s.shot('farm-06-cancelled');
    await job.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).not.toBe('cancelled');
    await expect.poll(() => job.getByRole('button', { name: 'Cancel' }).count(), { timeout: 30_000 }).toBe(1);
    await job.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).toBe('cancelled');
    expect(s.errors).toEqual([]);
  }, 240_000);

  it('exports the cut with the farm take and its matte, beside the saved project by default', async () => {
    const { page } = s;
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Export Timeline…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export timeline' });
    expect(await dialog.getByLabel('Export to').inputValue()).toBe(join(shared, 'Sequence 1.otio'));
    await dialog.getByLabel('Include mattes').check();
    // Rendered for the NLE: the take as H.264, its matte as ProRes 4444 with the removed region in alpha.
    await dialog.getByLabel('Render').selectOption('h264');
    await dialog.getByLabel('Matte kind').selectOption('alpha');
    await s.shot('interchange-07-export-take');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => dialog.getByTestId('export-headline').textContent(), { timeout: 60_000 }).toBe('Exported “Sequence 1” (1 clip, 1 with a removal take) as OpenTimelineIO (.otio).');
    const written = await dialog.getByRole('list', { name: 'Files written' }).textContent();
    expect(written).toContain('(rendered take)');
    expect(written).toContain('(rendered matte)');
    expect(existsSync(join(shared, 'Sequence 1 Media'))).toBe(true);
    const otio = JSON.parse(readFileSync(join(shared, 'Sequence 1.otio'), 'utf8')) as unknown;
    const text = JSON.stringify(otio);
    expect(text).toContain('"matte"');
    expect(text).toContain('"original"');
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(s.errors).toEqual([]);
  }, 120_000);
});

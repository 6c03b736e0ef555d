import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lacuna } from '../cli/cliHarness';
import { haveChromium } from './browser';
import { startEditorSession, type EditorSession } from './editorSession';

/*
 * File ▸ Export Timeline… and Import Timeline… in Chromium through the bridge, screenshots under
 * .tmp/screens/interchange-*.png: export two-birds' sequence as FCPXML and OTIO (typed
 * destination: the browser has no save dialog), see what was written, import the OTIO back as a
 * new sequence with its report, and a bad path's error in plain words.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let s: EditorSession;
let movies: string[];
beforeAll(async () => {
  s = await startEditorSession('lacuna-interchange-ui-');
  // NLEs link movies: two-birds as a ProRes clip, and a second copy for a second clip.
  movies = [join(s.dir, 'birds-a.mov'), join(s.dir, 'birds-b.mp4')];
  for (const [out, codec] of [[movies[0], 'prores_hq'], [movies[1], 'h264']]) {
    const made = await lacuna('transcode', TWO_BIRDS, '--fps', '25', '--codec', codec, '-o', out);
    expect(made.code, made.stderr).toBe(0);
  }
}, 180_000);
afterAll(async () => {
  await s?.close();
});

describe.runIf(haveChromium && existsSync(TWO_BIRDS))('timeline interchange dialogs in Chromium', () => {
  it('exports the sequence with the chosen format and options, and says what it wrote', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Import…' }).click();
    const media = page.getByRole('dialog', { name: 'Import media' });
    await media.locator('textarea').fill(movies.join('\n'));
    await media.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('media-item').count(), { timeout: 60_000 }).toBe(2);
    await page.getByTestId('media-item').first().getByRole('button', { name: 'Add to sequence' }).click();
    await page.getByRole('dialog', { name: 'Sequence settings' }).getByRole('button', { name: 'Use clip settings' }).click();
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('media-item').nth(1).getByRole('button', { name: 'Add to sequence' }).click();
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 30_000 }).toBe(2);

    await page.getByRole('button', { name: 'Export Timeline…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export timeline' });
    // An unsaved project has no folder to suggest: the destination waits to be typed.
    expect(await dialog.getByLabel('Export to').inputValue()).toBe('');
    expect(await dialog.getByRole('button', { name: 'Export' }).isDisabled()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Choose…' }).count()).toBe(0);
    const out = join(s.dir, 'cut.otio');
    await dialog.getByLabel('Export to').fill(out);
    await dialog.getByLabel('Format').selectOption('fcpxml');
    // Choosing the format renames the file and offers FCPXML's versions.
    expect(await dialog.getByLabel('Export to').inputValue()).toBe(join(s.dir, 'cut.fcpxml'));
    expect(await dialog.getByLabel('FCPXML version').inputValue()).toBe('1.10');
    await dialog.getByLabel('FCPXML version').selectOption('1.9');
    await dialog.getByLabel('Relative paths').check();
    await s.shot('interchange-01-export-dialog');
    await dialog.getByRole('button', { name: 'Export' }).click();
    const done = page.getByRole('dialog', { name: 'Export timeline' });
    await expect.poll(() => done.getByTestId('export-headline').textContent(), { timeout: 60_000 }).toMatch(/^Exported “.+” \(2 clips\) as FCPXML 1\.9 \(\.fcpxml\)\.$/);
    const fcpxml = readFileSync(join(s.dir, 'cut.fcpxml'), 'utf8');
    expect(fcpxml).toContain('<fcpxml version="1.9"');
    expect(await done.getByRole('list', { name: 'Files written' }).textContent()).toContain(join(s.dir, 'cut.fcpxml'));
    await s.shot('interchange-02-exported');
    await done.getByRole('button', { name: 'Done' }).click();

    // A second export to the same file is refused in plain words, and "Replace" allows it.
    await page.getByRole('button', { name: 'Export Timeline…' }).click();
    await dialog.getByLabel('Format').selectOption('otio');
    await dialog.getByLabel('Export to').fill(join(s.dir, 'cut.otio'));
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => done.getByTestId('export-headline').count(), { timeout: 60_000 }).toBe(1);
    await done.getByRole('button', { name: 'Done' }).click();
    await page.keyboard.press('Control+e');
    await dialog.getByLabel('Format').selectOption('otio');
    await dialog.getByLabel('Export to').fill(join(s.dir, 'cut.otio'));
    await dialog.getByRole('button', { name: 'Export' }).click();
    const error = dialog.getByTestId('export-error');
    await expect.poll(() => error.textContent(), { timeout: 30_000 }).toMatch(/already exists/);
    expect((await error.innerText()).split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    await s.shot('interchange-03-export-error');
    await dialog.getByLabel('Replace an existing file').check();
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => done.getByTestId('export-headline').count(), { timeout: 60_000 }).toBe(1);
    await done.getByRole('button', { name: 'Done' }).click();

    // An EDL for another machine: paths rewritten by the path map, Premiere's AX reels.
    await page.getByRole('button', { name: 'Export Timeline…' }).click();
    await dialog.getByLabel('Format').selectOption('edl');
    await dialog.getByLabel('EDL reels').selectOption('ax');
    await dialog.getByLabel('Path map').fill(`${s.dir}=/mnt/shoot`);
    await dialog.getByLabel('Export to').fill(join(s.dir, 'cut'));
    await s.shot('interchange-08-edl-path-map');
    await dialog.getByRole('button', { name: 'Export' }).click();
    await expect.poll(() => done.getByTestId('export-headline').textContent(), { timeout: 60_000 }).toMatch(/as CMX3600 EDL/);
    // One video track: one file, no _V1 suffix.
    const edl = readFileSync(join(s.dir, 'cut.edl'), 'utf8');
    expect(edl).toContain('/mnt/shoot/birds-a.mov');
    expect(edl).not.toContain(s.dir);
    expect(edl).toMatch(/^001 {2}AX /m);
    await done.getByRole('button', { name: 'Done' }).click();
    expect(s.errors).toEqual([]);
  }, 240_000);

  it('imports a timeline as a new sequence and shows the report; a missing file is one plain error', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Import Timeline…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import timeline' });
    await dialog.getByLabel('Timeline file').fill(join(s.dir, 'nowhere.otio'));
    await dialog.getByRole('button', { name: 'Import' }).click();
    const error = dialog.getByTestId('import-error');
    await expect.poll(() => error.count(), { timeout: 30_000 }).toBe(1);
    expect((await error.innerText()).split('\n').filter(Boolean).length).toBeLessThanOrEqual(2);
    expect(await error.innerText()).not.toMatch(/\bat .+:\d+:\d+/);
    await s.shot('interchange-04-import-error');

    // The cut as it comes back from another machine: one clip's media is not here (and not in the pool either).
    const moved = join(s.dir, 'moved.otio');
    writeFileSync(moved, readFileSync(join(s.dir, 'cut.otio'), 'utf8').replaceAll(movies[1], '/Volumes/Shoot/birds-b.mp4'));
    renameSync(movies[1], `${movies[1]}.gone`);
    await dialog.getByLabel('Timeline file').fill(moved);
    await dialog.getByLabel('Sequence name').fill('From Resolve');
    // The frame rate is an EDL's question only.
    expect(await dialog.getByLabel('EDL frame rate').isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Import' }).click();
    const report = page.getByRole('dialog', { name: 'Import report' });
    await expect.poll(() => report.getByTestId('import-headline').textContent(), { timeout: 60_000 }).toMatch(/^Imported “From Resolve”: \d clips? from .*moved\.otio\.$/);
    expect(await report.getByTestId('import-matched').textContent()).toBe('1 of 2 media files found.');
    expect(await report.getByTestId('import-missing').textContent()).toContain('/Volumes/Shoot/birds-b.mp4');
    await s.shot('interchange-05-import-report');
    await report.getByRole('button', { name: 'Done' }).click();
    // The new sequence is the one shown, and the import is one undo step.
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title'), { timeout: 30_000 }).toBe('Undo Import Timeline');
    await expect.poll(() => page.getByTestId('clip').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await s.shot('interchange-06-imported');
    expect(s.errors).toEqual([]);
  }, 120_000);
});

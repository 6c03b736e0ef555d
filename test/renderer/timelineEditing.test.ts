import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from './browser';
import { type EditorSession, eventually, importThroughDialog, playheadFrame, startEditorSession } from './editorSession';

/*
 * The timeline's editing controls that timelineFlow does not reach, in Chromium through the
 * bridge (issue 11 items 1, 2 and 9): the sequence settings dialog (size, start timecode, rate
 * fixed once clips are on it), zoom by + / − and Ctrl+wheel, horizontal scroll, split with
 * Ctrl+B, multi-select with Shift+click, Delete leaving a gap where Shift+Delete ripples, removing
 * an empty track, one selection at a time between the bin and the timeline, and visible keyboard
 * focus (item 10).
 */
let s: EditorSession;
let clipPath: string;

beforeAll(async () => {
  s = await startEditorSession('lacuna-editing-');
  const clip = join(s.dir, 'B012_C003 pier.mp4');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=4', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=4',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
  clipPath = clip;
}, 180_000);

afterAll(async () => {
  await s?.close();
});

const v1 = () => s.page.getByTestId('track-V1').getByTestId('clip');
const a1 = () => s.page.getByTestId('track-A1').getByTestId('clip');
const width = async (n = 0) => (await v1().nth(n).boundingBox())!.width;
const undoTitle = () => s.page.getByRole('button', { name: 'Undo' }).getAttribute('title');
const label = (n: number) => v1().nth(n).getAttribute('aria-label');

describe.runIf(haveChromium)('timeline editing in Chromium', () => {
  it('sets the sequence size and start timecode in the dialog; the rate is fixed once clips are on it', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await importThroughDialog(page, [clipPath]);
    await eventually(() => page.getByTestId('media-item').count()).toBe(1);
    await page.getByRole('button', { name: 'Settings…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Sequence settings' });
    await dialog.getByLabel('Frame rate').selectOption({ label: '25 fps' });
    await dialog.getByLabel('Width').fill('1280');
    await dialog.getByLabel('Height').fill('720');
    await dialog.getByLabel('Start timecode').fill('10:00:00:99');
    expect(await dialog.textContent()).toContain('Timecode like 01:00:00:00 at this rate');
    expect(await dialog.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Start timecode').fill('10:00:00:00');
    await s.shot('30-sequence-settings-dialog');
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await eventually(() => page.getByTestId('sequence-format').textContent()).toBe('1280×720 · 25 fps · starts 10:00:00:00');
    expect(await page.getByTestId('program-timecode').textContent()).toBe('10:00:00:00');
    expect(await page.locator('.tick-label').first().textContent()).toBe('10:00:00:00');

    await page.getByTestId('media-item').getByRole('button', { name: 'Add to sequence' }).click();
    await eventually(() => v1().count()).toBe(1);
    expect(await label(0)).toContain('100 frames at 10:00:00:00');
    await expect.poll(() => page.locator('[data-testid="clip-thumbnails"][data-loaded="true"]').count(), { timeout: 60_000 }).toBe(1);
    await page.getByRole('button', { name: 'Settings…' }).click();
    dialog = page.getByRole('dialog', { name: 'Sequence settings' });
    expect(await dialog.getByLabel('Frame rate').isDisabled()).toBe(true);
    expect(await dialog.textContent()).toContain('fixed: the sequence has clips');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('zooms in and out with + and −, and around the pointer with Ctrl+wheel', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    const w0 = await width();
    await page.keyboard.press('+');
    await eventually(() => width()).toBeGreaterThan(w0 * 1.2);
    const w1 = await width();
    await page.keyboard.press('-');
    await eventually(() => width()).toBeLessThan(w1 / 1.2);
    const box = (await v1().first().boundingBox())!;
    await page.mouse.move(box.x + 30, box.y + 10);
    const before = await width();
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await eventually(() => width()).toBeGreaterThan(before * 1.3);
    // The app itself did not zoom (the wheel was the timeline's).
    expect(await page.evaluate(() => window.visualViewport?.scale ?? 1)).toBe(1);
  });

  it('scrolls sideways when zoomed past the window', async () => {
    const { page } = s;
    for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
    const scroll = page.getByTestId('timeline-scroll');
    expect(await scroll.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    const box = (await scroll.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 40);
    await page.mouse.wheel(400, 0);
    await eventually(() => scroll.evaluate((e) => e.scrollLeft)).toBeGreaterThan(100);
    const tick = await page.locator('.tick-label').first().textContent();
    await s.shot('31-zoomed-scrolled');
    expect(tick).toMatch(/^10:00:0\d:\d\d$/);
    // Zoom to fit brings the whole sequence back into view.
    await page.keyboard.press('Shift+Z');
    await eventually(() => scroll.evaluate((e) => e.scrollLeft)).toBe(0);
    const last = (await v1().last().boundingBox())!;
    expect(last.x + last.width).toBeLessThanOrEqual(box.x + box.width);
  });

  it('splits at the playhead with Ctrl+B, picture and sound together', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    await page.keyboard.press('Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
    expect(await playheadFrame(page)).toBe(40);
    await page.keyboard.press('Control+b');
    await eventually(() => v1().count()).toBe(2);
    expect(await a1().count()).toBe(2);
    expect(await label(0)).toContain('40 frames at 10:00:00:00');
    expect(await label(1)).toContain('60 frames at 10:00:01:15');
    expect(await undoTitle()).toBe('Undo Split Clip');
  });

  it('selects two clips with Shift+click; Delete leaves a gap, Shift+Delete closes it; undo brings them back', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight'); // frame 20: a second split, three clips
    await page.keyboard.press('Escape'); // nothing selected: S cuts every clip under the playhead
    await page.keyboard.press('s');
    await eventually(() => v1().count()).toBe(3);
    await v1().nth(0).click();
    await v1().nth(2).click({ modifiers: ['Shift'] });
    await eventually(() => page.locator('[data-testid="clip"].selected').count()).toBe(4); // two clips, picture and sound each
    await s.shot('32-multi-select');
    await page.keyboard.press('Delete');
    await eventually(() => v1().count()).toBe(1);
    expect(await label(0)).toContain('20 frames at 10:00:00:20'); // left where it was: a gap before it
    await page.keyboard.press('Control+z');
    await eventually(() => v1().count()).toBe(3);
    // Ripple: the first clip goes and the rest close up to the start.
    await v1().nth(0).click();
    await page.keyboard.press('Shift+Delete');
    await eventually(() => v1().count()).toBe(2);
    expect(await label(0)).toContain('20 frames at 10:00:00:00');
    expect(await label(1)).toContain('60 frames at 10:00:00:20');
    expect(await a1().count()).toBe(2);
    await page.keyboard.press('Control+z');
    await eventually(() => v1().count()).toBe(3);
    expect(await label(0)).toContain('20 frames at 10:00:00:00');
  });

  it('removes an empty track, and only an empty one', async () => {
    const { page } = s;
    await page.getByRole('button', { name: '+ Audio track' }).click();
    await eventually(() => page.getByTestId('track-A2').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Remove track A1' }).count()).toBe(0); // it has clips
    await page.getByRole('button', { name: 'Remove track A2' }).click();
    await eventually(() => page.getByTestId('track-A2').count()).toBe(0);
    expect(await page.getByTestId('track-A1').count()).toBe(1);
  });

  it('shows one selection at a time: a clip clears the bin highlight, a bin item clears the clips', async () => {
    const { page } = s;
    await page.getByTestId('media-item').click();
    await eventually(() => page.locator('.media-item.selected').count()).toBe(1);
    await v1().nth(1).click();
    await eventually(() => page.locator('.media-item.selected').count()).toBe(0);
    expect(await page.locator('[data-testid="clip"].selected').count()).toBe(2);
    await page.getByTestId('media-item').click();
    await eventually(() => page.locator('[data-testid="clip"].selected').count()).toBe(0);
    await s.shot('33-one-selection');
    expect(s.errors).toEqual([]);
  });

  it('shows where keyboard focus is: every control reached with Tab is outlined', async () => {
    const { page } = s;
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    const unmarked: string[] = [];
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const seen = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const st = getComputedStyle(el);
        const marked = (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== 'none' || el.matches('.sep, .context-menu button');
        return { marked, what: `${el.tagName.toLowerCase()} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}` };
      });
      if (seen && !seen.marked) unmarked.push(seen.what);
    }
    await s.shot('34-keyboard-focus');
    expect(unmarked).toEqual([]);
  });
});

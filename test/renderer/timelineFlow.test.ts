import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from './browser';
import { playheadFrame, startEditorSession, type EditorSession } from './editorSession';

/*
 * An editor's session in Chromium, with a screenshot at each step under .tmp/screens/: import an
 * image sequence (two-birds, 25 fps) and a camera clip with sound, take the sequence settings from
 * the first clip, lay both on the timeline, trim and move, step and play across clips.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let s: EditorSession;
let camera: string;

beforeAll(async () => {
  s = await startEditorSession('lacuna-timeline-');
  // A camera clip whose sound swells and fades, so its waveform has a shape to see.
  camera = join(s.dir, 'A003_C007 harbour.mp4');
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=24:duration=4', '-f', 'lavfi', '-i',
    "aevalsrc='0.8*sin(2*PI*330*t)*abs(sin(2*PI*0.6*t))':s=48000:d=4", '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', camera]);
}, 180_000);

afterAll(async () => {
  await s?.close();
});

describe.runIf(haveChromium)('timeline and viewers in Chromium', () => {
  it('imports two-birds at 25 fps and a camera clip with sound', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import media' });
    await dialog.locator('textarea').fill(`${TWO_BIRDS}\n${camera}`);
    await dialog.getByLabel('Image sequence frame rate').selectOption({ label: '25 fps' });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => page.getByTestId('media-item').count()).toBe(2);
    await s.shot('01-imported');
  });

  it('takes the sequence settings from the first clip when asked, then lays both clips down with linked sound', async () => {
    const { page } = s;
    await page.getByTestId('media-item').nth(0).getByRole('button', { name: 'Add to sequence' }).click();
    const prompt = page.getByRole('dialog', { name: 'Sequence settings' });
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain('568×320 at 25 fps');
    await s.shot('02-sequence-settings');
    await prompt.getByRole('button', { name: 'Use clip settings' }).click();
    await expect.poll(() => page.getByTestId('sequence-format').textContent()).toContain('568×320 · 25 fps · starts 01:00:00:00');
    await expect.poll(() => page.getByTestId('clip').count()).toBe(1);
    await page.getByTestId('media-item').nth(1).getByRole('button', { name: 'Add to sequence' }).click();
    await expect.poll(() => page.getByTestId('clip').count()).toBe(3); // birds, camera picture, camera sound
    await expect.poll(() => page.getByTestId('track-A1').getByTestId('clip').count()).toBe(1);
    // The 24 fps camera clip is conformed to the 25 fps sequence, and says so.
    expect(await page.getByTestId('track-V1').getByTestId('conform').textContent()).toBe('24 → 25 fps');
    await page.keyboard.press('Shift+Z'); // zoom to fit
    await expect.poll(() => page.locator('[data-testid="clip-thumbnails"][data-loaded="true"]').count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid="clip-waveform"][data-loaded="true"]').count(), { timeout: 30_000 }).toBe(1);
    await s.shot('03-timeline');
  });

  it("trims the camera clip's tail with the frame count shown, and its sound follows", async () => {
    const { page } = s;
    const clip = page.getByTestId('track-V1').getByTestId('clip').nth(1);
    const box = (await clip.boundingBox())!;
    await page.mouse.move(box.x + box.width - 3, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 80, box.y + 20, { steps: 6 });
    await expect.poll(() => page.getByTestId('trim-readout').textContent()).toMatch(/^Out −\d+ fr$/);
    await s.shot('04-trimming');
    const shown = Number((await page.getByTestId('trim-readout').textContent())!.match(/\d+/)![0]);
    await page.mouse.up();
    const frames = () => page.getByTestId('track-V1').getByTestId('clip').nth(1).getAttribute('aria-label');
    await expect.poll(frames).toContain(`${100 - shown} frames`);
    expect(await page.getByTestId('track-A1').getByTestId('clip').getAttribute('aria-label')).toContain(`${100 - shown} frames`);
    expect(await page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Trim Clip');
  });

  it('moves the camera clip later by dragging, and its sound moves with it', async () => {
    const { page } = s;
    const clip = page.getByTestId('track-V1').getByTestId('clip').nth(1);
    const box = (await clip.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + 22, { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Move Clip');
    const label = (await clip.getAttribute('aria-label'))!;
    const audio = (await page.getByTestId('track-A1').getByTestId('clip').getAttribute('aria-label'))!;
    expect(label).not.toContain('at 01:00:00:18');
    expect(audio.replace(/^.*? at /, '')).toBe(label.replace(/^.*? at /, ''));
    await s.shot('05-moved');
    // Undo puts it back against the birds (frame 18), where the keys below expect it.
    await page.keyboard.press('Control+z');
    await expect.poll(() => clip.getAttribute('aria-label')).toContain('at 01:00:00:18');
  });

  it('steps, jumps and shuttles with the editing keys on the program viewer', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    const len = 18 + Number((await page.getByTestId('track-V1').getByTestId('clip').nth(1).getAttribute('aria-label'))!.match(/(\d+) frames/)![1]);
    const key = async (k: string) => page.keyboard.press(k);
    await key('Home');
    expect(await playheadFrame(page)).toBe(0);
    await key('ArrowRight');
    expect(await playheadFrame(page)).toBe(1);
    await key('Shift+ArrowRight');
    expect(await playheadFrame(page)).toBe(11);
    await key('ArrowLeft');
    expect(await playheadFrame(page)).toBe(10);
    await key('Shift+ArrowLeft');
    expect(await playheadFrame(page)).toBe(0);
    await key('ArrowDown');
    expect(await playheadFrame(page)).toBe(18); // the cut between the clips
    await key('ArrowDown');
    expect(await playheadFrame(page)).toBe(len); // the end of the sequence
    await key('ArrowUp');
    expect(await playheadFrame(page)).toBe(18);
    await key('End');
    expect(await playheadFrame(page)).toBe(len);
    expect(await page.getByTestId('program-timecode').textContent()).toBe(`01:00:0${Math.floor(len / 25)}:${String(len % 25).padStart(2, '0')}`);
    // Space plays (from the start when parked at the end) and stops.
    await key('Space');
    await expect.poll(() => playheadFrame(page)).toBeGreaterThan(5);
    await key('Space');
    const stopped = await playheadFrame(page);
    await page.waitForTimeout(200);
    expect(await playheadFrame(page)).toBe(stopped);
    // L plays forward, again twice as fast; K stops; J plays backwards.
    await key('Home');
    await key('l');
    await expect.poll(() => playheadFrame(page)).toBeGreaterThan(2);
    await key('l');
    await expect.poll(() => page.locator('.transport-row .badge').first().textContent()).toBe('2×');
    await key('k');
    const at = await playheadFrame(page);
    await page.waitForTimeout(150);
    expect(await playheadFrame(page)).toBe(at);
    await key('j');
    await expect.poll(() => playheadFrame(page)).toBeLessThan(at);
    await key('k');
  });

  it('shows exactly the frame ffmpeg decodes at the playhead (program viewer, conformed clip)', async () => {
    const { page } = s;
    for (const [tens, ones] of [[1, 0], [3, 7]]) {
      const timelineFrame = 18 + tens * 10 + ones;
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowDown');
      for (let i = 0; i < tens; i++) await page.keyboard.press('Shift+ArrowRight');
      for (let i = 0; i < ones; i++) await page.keyboard.press('ArrowRight');
      expect(await playheadFrame(page)).toBe(timelineFrame);
      const sourceFrame = Math.floor(((timelineFrame - 18) * 24) / 25);
      const video = page.getByTestId('program-video');
      await expect.poll(() => video.getAttribute('data-frame')).toBe(String(sourceFrame));
      await page.waitForFunction(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="program-video"]');
        return !!v && v.readyState >= 2 && !v.seeking;
      });
      const shown = await page.evaluate(() => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="program-video"]')!;
        const c = document.createElement('canvas');
        c.width = 640;
        c.height = 360;
        const g = c.getContext('2d')!;
        g.drawImage(v, 0, 0, 640, 360);
        return Array.from(g.getImageData(0, 0, 640, 360).data);
      });
      const decode = (n: number) =>
        execFileSync('ffmpeg', ['-loglevel', 'error', '-i', camera, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
      const diff = (n: number) => {
        const ref = decode(n);
        let sum = 0;
        for (let i = 0; i < ref.length; i += 4) sum += Math.abs(ref[i] - shown[i]) + Math.abs(ref[i + 1] - shown[i + 1]) + Math.abs(ref[i + 2] - shown[i + 2]);
        return sum / (ref.length / 4) / 3;
      };
      const [before, exact, after] = [diff(sourceFrame - 1), diff(sourceFrame), diff(sourceFrame + 1)];
      expect(exact, `frame ${sourceFrame}: ${before.toFixed(2)} / ${exact.toFixed(2)} / ${after.toFixed(2)}`).toBeLessThan(Math.min(before, after));
      expect(exact).toBeLessThan(6);
    }
    await s.shot('06-program-frame');
  });

  it('marks In and Out on the source viewer with I and O, and places the marked range', async () => {
    const { page } = s;
    await page.getByTestId('media-item').nth(1).click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('i');
    expect(await page.getByTestId('source-in').textContent()).toBe('In 00:00:00:10');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('o');
    expect(await page.getByTestId('source-out').textContent()).toBe('Out 00:00:01:06');
    await s.shot('07-source-marks');
    await page.getByRole('button', { name: 'Place on timeline' }).click();
    await expect.poll(() => page.getByTestId('track-V1').getByTestId('clip').count()).toBe(3);
    expect(await page.getByTestId('track-V1').getByTestId('clip').nth(2).getAttribute('aria-label')).toContain(', 22 frames') // source 10..30 inclusive: 21 frames at 24 fps, 22 at 25;
  });

  it('splits at the playhead with S, selects and ripple-deletes, and undoes both', async () => {
    const { page } = s;
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight'); // 20 frames into the camera clip
    const v1 = page.getByTestId('track-V1').getByTestId('clip');
    await page.keyboard.press('s');
    await expect.poll(() => v1.count()).toBe(4);
    expect(await page.getByTestId('track-A1').getByTestId('clip').count()).toBe(3);
    await s.shot('08-split');
    await v1.nth(1).click();
    await page.keyboard.press('Shift+Delete');
    await expect.poll(() => v1.count()).toBe(3);
    expect(await v1.nth(1).getAttribute('aria-label')).toContain('at 01:00:00:18');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await expect.poll(() => v1.count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Add Clip');
  });

  it('fits the window from 1280 to 2560 px: nothing wider than the window, focus never scrolls the app', async () => {
    const { page } = s;
    for (const width of [1280, 1440, 1920, 2560]) {
      await page.setViewportSize({ width, height: width >= 1920 ? 1080 : 800 });
      await page.waitForTimeout(150);
      const overflow = await page.evaluate(() => {
        const w = window.innerWidth;
        const out: string[] = [];
        if (document.documentElement.scrollWidth > w) out.push(`document ${document.documentElement.scrollWidth}`);
        for (const el of document.querySelectorAll<HTMLElement>('body *')) {
          // Content inside a scrolling area (the timeline, lists) may be wider: it scrolls there.
          if (el.closest('.timeline-content, .panel-body, .tabs')) continue;
          const r = el.getBoundingClientRect();
          if (r.width && r.right > w + 0.5) out.push(`${el.tagName}.${el.className} right=${Math.round(r.right)}`);
        }
        return out;
      });
      expect(overflow, `at ${width} px`).toEqual([]);
      await s.shot(`09-layout-${width}`);
    }
    for (const b of await page.locator('button').all()) {
      await b.focus();
      expect(await page.evaluate(() => [window.scrollX, document.querySelector('.app')!.scrollLeft, document.querySelector('.workspace')!.scrollLeft])).toEqual([0, 0, 0]);
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(s.errors.filter((e) => !/MEDIA_ELEMENT_ERROR|403|Format error/.test(e))).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveChromium } from './browser';
import { type EditorSession, eventually, importThroughDialog, listenToProgramSound, makeCameraClip, playheadFrame, startEditorSession } from './editorSession';

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
  camera = makeCameraClip(join(s.dir, 'A003_C007 harbour.mp4'));
}, 180_000);

afterAll(async () => {
  await s?.close();
});

/** The program viewer's picture as RGBA, drawn at `width × height` once the video has its frame. */
async function programPixels(page: EditorSession['page'], width: number, height: number): Promise<number[]> {
  await page.waitForFunction(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="program-video"]');
    // A proxied layer shows the wanted frame only once its stream starts there.
    return !!v && v.readyState >= 2 && !v.seeking && (v.dataset.streamFrame === undefined || v.dataset.streamFrame === v.dataset.frame);
  });
  return page.evaluate(
    ([w, h]) => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="program-video"]')!;
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      const g = c.getContext('2d')!;
      g.drawImage(v, 0, 0, w, h);
      return Array.from(g.getImageData(0, 0, w, h).data);
    },
    [width, height],
  );
}

/** Mean absolute RGB difference (0–255) between two RGBA pictures of one size. */
function meanRgbDiff(ref: Buffer, shown: number[]): number {
  let sum = 0;
  for (let i = 0; i < ref.length; i += 4) sum += Math.abs(ref[i] - shown[i]) + Math.abs(ref[i + 1] - shown[i + 1]) + Math.abs(ref[i + 2] - shown[i + 2]);
  return sum / (ref.length / 4) / 3;
}

describe.runIf(haveChromium)('timeline and viewers in Chromium', () => {
  it('imports two-birds at 25 fps and a camera clip with sound', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'New project' }).click();
    await importThroughDialog(page, [TWO_BIRDS, camera], '25 fps');
    // Probing and hashing 86 files: seconds on a loaded machine.
    await expect.poll(() => page.getByTestId('media-item').count(), { timeout: 30_000 }).toBe(2);
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
    await eventually(() => page.getByTestId('sequence-format').textContent()).toContain('568×320 · 25 fps · starts 01:00:00:00');
    await eventually(() => page.getByTestId('clip').count()).toBe(1);
    await page.getByTestId('media-item').nth(1).getByRole('button', { name: 'Add to sequence' }).click();
    await eventually(() => page.getByTestId('clip').count()).toBe(3); // birds, camera picture, camera sound
    await eventually(() => page.getByTestId('track-A1').getByTestId('clip').count()).toBe(1);
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
    await eventually(() => page.getByTestId('trim-readout').textContent()).toMatch(/^Out −\d+ fr$/);
    await s.shot('04-trimming');
    const shown = Number((await page.getByTestId('trim-readout').textContent())!.match(/\d+/)![0]);
    await page.mouse.up();
    const frames = () => page.getByTestId('track-V1').getByTestId('clip').nth(1).getAttribute('aria-label');
    await eventually(frames).toContain(`${100 - shown} frames`);
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
    await eventually(() => page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Move Clip');
    const label = (await clip.getAttribute('aria-label'))!;
    const audio = (await page.getByTestId('track-A1').getByTestId('clip').getAttribute('aria-label'))!;
    expect(label).not.toContain('at 01:00:00:18');
    expect(audio.replace(/^.*? at /, '')).toBe(label.replace(/^.*? at /, ''));
    await s.shot('05-moved');
    // Undo puts it back against the birds (frame 18), where the keys below expect it.
    await page.keyboard.press('Control+z');
    await eventually(() => clip.getAttribute('aria-label')).toContain('at 01:00:00:18');
  });

  it('drags the camera clip from the bin onto V2, snapped to the end of the cut, its sound linked on A1', async () => {
    const { page } = s;
    await page.getByRole('button', { name: '+ Video track' }).click();
    await eventually(() => page.getByTestId('track-V2').count()).toBe(1);
    expect(await page.getByTestId('track-V1').getByTestId('clip').count()).toBe(2);
    const last = (await page.getByTestId('track-V1').getByTestId('clip').nth(1).boundingBox())!;
    const v2 = (await page.getByTestId('track-V2').boundingBox())!;
    const item = (await page.getByTestId('media-item').nth(1).boundingBox())!;
    await page.mouse.move(item.x + 40, item.y + 12);
    await page.mouse.down();
    // Past the end of the cut by 5 px: within the snap reach, so it lands exactly at the end.
    await page.mouse.move(last.x + last.width + 5, v2.y + v2.height / 2, { steps: 10 });
    await page.mouse.move(last.x + last.width + 6, v2.y + v2.height / 2); // Chromium sends dragover on the move after arriving
    await eventually(() => page.getByTestId('drop-ghost').count()).toBe(2); // picture on V2, sound on A1
    expect(await page.getByTestId('track-V2').getByTestId('drop-ghost').getAttribute('class')).toContain('snapped');
    await s.shot('05b-drag-from-bin');
    await page.mouse.up();
    await eventually(() => page.getByTestId('track-V2').getByTestId('clip').count()).toBe(1);
    const dropped = (await page.getByTestId('track-V2').getByTestId('clip').getAttribute('aria-label'))!;
    const cameraOnV1 = (await page.getByTestId('track-V1').getByTestId('clip').nth(1).getAttribute('aria-label'))!;
    const frames = /(\d+) frames at /.exec(cameraOnV1)![1];
    const startOfCamera = await page.getByTestId('track-V1').getByTestId('clip').nth(1).evaluate((e) => parseFloat((e as HTMLElement).style.left));
    // It starts where the cut ends: right where the camera clip on V1 ends.
    const droppedLeft = await page.getByTestId('track-V2').getByTestId('clip').evaluate((e) => parseFloat((e as HTMLElement).style.left));
    const v1Width = await page.getByTestId('track-V1').getByTestId('clip').nth(1).evaluate((e) => parseFloat((e as HTMLElement).style.width));
    expect(Math.abs(droppedLeft - (startOfCamera + v1Width))).toBeLessThan(0.5);
    expect(dropped).toMatch(/^A003_C007 harbour\.mp4, 100 frames at /);
    expect(Number(frames)).toBeLessThan(100); // the V1 copy is the trimmed one
    // Its sound came along on A1, at the same time.
    await eventually(() => page.getByTestId('track-A1').getByTestId('clip').count()).toBe(2);
    const sound = (await page.getByTestId('track-A1').getByTestId('clip').nth(1).getAttribute('aria-label'))!;
    expect(sound.replace(/^.*? at /, '')).toBe(dropped.replace(/^.*? at /, ''));
    expect(await page.getByRole('button', { name: 'Undo' }).getAttribute('title')).toBe('Undo Add Clip');
    await s.shot('05c-dropped');

    // Over the camera clip itself it does not fit: the ghost says so and the drop does nothing.
    const cam = (await page.getByTestId('track-V1').getByTestId('clip').nth(1).boundingBox())!;
    await page.mouse.move(item.x + 40, item.y + 12);
    await page.mouse.down();
    await page.mouse.move(cam.x + cam.width / 2, cam.y + cam.height / 2, { steps: 10 });
    await page.mouse.move(cam.x + cam.width / 2 + 1, cam.y + cam.height / 2);
    await eventually(() => page.getByTestId('track-V1').getByTestId('drop-ghost').textContent()).toBe('Overlaps a clip');
    await page.mouse.up();
    await eventually(() => page.getByTestId('drop-ghost').count()).toBe(0);
    expect(await page.getByTestId('clip').count()).toBe(5);

    // Back as it was for the keys below: the drop and the new track undone.
    await page.keyboard.press('Control+z');
    await eventually(() => page.getByTestId('clip').count()).toBe(3);
    await page.keyboard.press('Control+z');
    await eventually(() => page.getByTestId('track-V2').count()).toBe(0);
  });

  it('plays the audio tracks mixed, in step with the picture: silence over the birds, the camera sound from its cut', async () => {
    const { page } = s;
    const sound = page.getByTestId('program-sound');
    await expect.poll(() => sound.getAttribute('src'), { timeout: 30_000 }).toMatch(/\.wav$/);
    // The mix itself, decoded by Chromium: nothing before the cut at frame 18 (0.72 s), sound after.
    const levels = await sound.evaluate(async (el) => {
      const data = await (await fetch((el as HTMLAudioElement).src)).arrayBuffer();
      const buf = await new OfflineAudioContext(1, 1, 48000).decodeAudioData(data);
      const ch = buf.getChannelData(0);
      const rms = (a: number, b: number) => {
        let s2 = 0;
        for (let i = Math.round(a * buf.sampleRate); i < Math.round(b * buf.sampleRate); i++) s2 += ch[i] ** 2;
        return Math.sqrt(s2 / Math.max(1, Math.round((b - a) * buf.sampleRate)));
      };
      return { before: rms(0, 0.71), after: rms(0.73, 1.5), seconds: buf.duration };
    });
    expect(levels.before).toBeLessThan(1e-4);
    expect(levels.after).toBeGreaterThan(0.05);
    // Live, through an AnalyserNode on the element: playing from frame 30 is heard, and the element
    // stands where the playhead is.
    const level = await listenToProgramSound(page);
    await page.getByTestId('ruler').click({ position: { x: 5, y: 10 } });
    await page.keyboard.press('Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
    expect(await playheadFrame(page)).toBe(30);
    expect(await sound.evaluate((el) => (el as HTMLAudioElement).currentTime)).toBeCloseTo(30 / 25, 1);
    await page.keyboard.press('Space');
    await expect.poll(level, { timeout: 5_000 }).toBeGreaterThan(0.02);
    // Both read in one turn of the page, so the round trips of a loaded machine do not count.
    const [frame, time] = await page.evaluate(() => [
      Number(document.querySelector('[aria-label="Program playhead"]')!.getAttribute('aria-valuenow')),
      document.querySelector<HTMLAudioElement>('[data-testid="program-sound"]')!.currentTime,
    ]);
    expect(Math.abs(time - frame / 25)).toBeLessThan(0.15);
    await page.keyboard.press('Space');
    await eventually(() => sound.evaluate((el) => (el as HTMLAudioElement).paused)).toBe(true);
    // Over the birds (no sound on A1) it is silent.
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await page.waitForTimeout(300);
    expect(await playheadFrame(page)).toBeLessThan(18);
    expect(await level()).toBeLessThan(1e-3);
    await page.keyboard.press('Space');
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
    await eventually(() => playheadFrame(page)).toBeGreaterThan(5);
    await key('Space');
    const stopped = await playheadFrame(page);
    await page.waitForTimeout(200);
    expect(await playheadFrame(page)).toBe(stopped);
    // L plays forward, again twice as fast; K stops; J plays backwards.
    await key('Home');
    await key('l');
    await eventually(() => playheadFrame(page)).toBeGreaterThan(2);
    await key('l');
    await eventually(() => page.locator('.transport-row .badge').first().textContent()).toBe('2×');
    await key('k');
    const at = await playheadFrame(page);
    await page.waitForTimeout(150);
    expect(await playheadFrame(page)).toBe(at);
    await key('j');
    await eventually(() => playheadFrame(page)).toBeLessThan(at);
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
      await eventually(() => video.getAttribute('data-frame')).toBe(String(sourceFrame));
      const shown = await programPixels(page, 640, 360);
      const decode = (n: number) =>
        execFileSync('ffmpeg', ['-loglevel', 'error', '-i', camera, '-vf', `select=eq(n\\,${n})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
      const diff = (n: number) => meanRgbDiff(decode(n), shown);
      const [before, exact, after] = [diff(sourceFrame - 1), diff(sourceFrame), diff(sourceFrame + 1)];
      expect(exact, `frame ${sourceFrame}: ${before.toFixed(2)} / ${exact.toFixed(2)} / ${after.toFixed(2)}`).toBeLessThan(Math.min(before, after));
      expect(exact).toBeLessThan(6);
    }
    await s.shot('06-program-frame');
  });

  it('shows exactly the image of the sequence frame at the playhead (two-birds, numbered in steps of 5, through the proxy)', async () => {
    const { page } = s;
    for (const frame of [7, 12]) {
      await page.keyboard.press('Home');
      for (let i = 0; i < frame; i++) await page.keyboard.press('ArrowRight');
      expect(await playheadFrame(page)).toBe(frame);
      await eventually(() => page.getByTestId('program-video').getAttribute('data-frame')).toBe(String(frame));
      const shown = await programPixels(page, 568, 320);
      // Frame n of the sequence is the file numbered 5n.
      const image = (n: number) => execFileSync('ffmpeg', ['-loglevel', 'error', '-i', join(TWO_BIRDS, `${String(n * 5).padStart(5, '0')}.jpg`), '-f', 'rawvideo', '-pix_fmt', 'rgba', '-']);
      const [before, exact, after] = [frame - 1, frame, frame + 1].map((n) => meanRgbDiff(image(n), shown));
      expect(exact, `frame ${frame}: ${before.toFixed(2)} / ${exact.toFixed(2)} / ${after.toFixed(2)}`).toBeLessThan(Math.min(before, after));
      expect(exact).toBeLessThan(6);
    }
    await s.shot('06b-program-image-sequence-frame');
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
    await eventually(() => page.getByTestId('track-V1').getByTestId('clip').count()).toBe(3);
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
    await eventually(() => v1.count()).toBe(4);
    expect(await page.getByTestId('track-A1').getByTestId('clip').count()).toBe(3);
    await s.shot('08-split');
    await v1.nth(1).click();
    await page.keyboard.press('Shift+Delete');
    await eventually(() => v1.count()).toBe(3);
    expect(await v1.nth(1).getAttribute('aria-label')).toContain('at 01:00:00:18');
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');
    await eventually(() => v1.count()).toBe(3);
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
    // The bridge allows 3 proxy streams at once and answers 503 beyond (the viewer asks again when it
    // steps): on a loaded machine, fast stepping through the image sequence can meet that limit.
    expect(s.errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
  });
});

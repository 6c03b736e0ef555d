import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from '../../src/engine/app/bridge/browserHost';
import { tempDir } from '../app/fixtures';
import { launchChromium } from './browser';
import { buildRenderer } from './buildRenderer';

/** Where end-to-end screenshots go (CI keeps the folder). */
export const SCREENS = resolve(import.meta.dirname, '../../.tmp/screens');

/**
 * The real renderer in Chromium over the HTTP bridge on a real engine in a temp folder: what the
 * editor's browser tests share. `restart` quits the engine and starts it again on the same data
 * folder (a relaunch, or the recovery after a crash).
 */
export interface EditorSession {
  dir: string;
  host: BrowserHost;
  browser: Browser;
  page: Page;
  errors: string[];
  shot(name: string): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** `hostOptions`: the engine's own settings for this session (a render farm's Redis, say). */
export async function startEditorSession(prefix: string, viewport = { width: 1440, height: 900 }, hostOptions: Pick<BrowserHostOptions, 'farm'> = {}): Promise<EditorSession> {
  const tmp = tempDir(prefix);
  const rendererDir = join(tmp.dir, 'renderer');
  await buildRenderer(rendererDir);
  const dataDir = join(tmp.dir, 'data');
  let host = await startBrowserHost({ dataDir, rendererDir, log: () => {}, ...hostOptions });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  mkdirSync(SCREENS, { recursive: true });
  const session: EditorSession = {
    dir: tmp.dir,
    host,
    browser,
    page,
    errors,
    shot: async (name) => void (await page.screenshot({ path: join(SCREENS, `${name}.png`) })),
    restart: async () => {
      await host.close();
      host = await startBrowserHost({ dataDir, rendererDir, log: () => {}, ...hostOptions });
      session.host = host;
      await page.goto(host.url);
    },
    close: async () => {
      await browser.close();
      await host.close();
      tmp.cleanup();
    },
  };
  await page.goto(host.url);
  return session;
}

/** The active viewer's playhead frame, as the transport bar's slider states it. */
export async function playheadFrame(page: Page, viewer: 'Program' | 'Source' = 'Program'): Promise<number> {
  return Number(await page.getByRole('slider', { name: `${viewer} playhead` }).getAttribute('aria-valuenow'));
}

/**
 * A camera clip with sound made by ffmpeg: 4 s of 640x360 test pattern at 24 fps, and a 330 Hz
 * tone that swells and fades, so its waveform has a shape to see and its level can be heard.
 */
export function makeCameraClip(path: string): string {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=24:duration=4', '-f', 'lavfi', '-i',
    "aevalsrc='0.8*sin(2*PI*330*t)*abs(sin(2*PI*0.6*t))':s=48000:d=4", '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path]);
  return path;
}

/** Imports `paths` through the Import dialog; `sequenceRate` is the image sequences' frame rate ("25 fps"). */
export async function importThroughDialog(page: Page, paths: string[], sequenceRate?: string, beforeImport?: () => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import media' });
  await dialog.locator('textarea').fill(paths.join('\n'));
  if (sequenceRate) await dialog.getByLabel('Image sequence frame rate').selectOption({ label: sequenceRate });
  await beforeImport?.();
  await dialog.getByRole('button', { name: 'Import' }).click();
}

/**
 * Listens to the program viewer's sound through an AnalyserNode on its element: the returned
 * function reads the RMS level (0–1) of what plays now.
 */
export async function listenToProgramSound(page: Page): Promise<() => Promise<number>> {
  await page.getByTestId('program-sound').evaluate((el) => {
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser();
    ctx.createMediaElementSource(el as HTMLAudioElement).connect(analyser);
    analyser.connect(ctx.destination);
    (window as unknown as { level: () => number }).level = () => {
      const d = new Float32Array(analyser.fftSize);
      analyser.getFloatTimeDomainData(d);
      return Math.sqrt(d.reduce((a, x) => a + x * x, 0) / d.length);
    };
  });
  return () => page.evaluate(() => (window as unknown as { level: () => number }).level());
}

/** A new project with a media folder imported and put on a sequence made to its settings (the first steps of most flows). */
export async function newProjectWithClip(page: Page, folder: string, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New project' }).click();
  await importThroughDialog(page, [folder]);
  await expect.poll(() => page.getByTestId('media-item').textContent()).toContain(name);
  await page.getByTestId('media-item').getByRole('button', { name: 'Add to sequence' }).click();
  await page.getByRole('dialog', { name: 'Sequence settings' }).getByRole('button', { name: 'Use clip settings' }).click();
  await expect.poll(() => page.getByTestId('clip').count()).toBe(1);
}

/** expect.poll with room for a loaded machine (its default gives up after a second). */
export const eventually = <T>(value: () => T | Promise<T>) => expect.poll(value, { timeout: 15_000 });

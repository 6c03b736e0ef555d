import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
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

import { chromium, type Browser, type Page } from 'playwright-core';
import { canRunWith, CHROMIUM } from '../helpers/externalTools';

export { CHROMIUM };

/** Browser tests run here: always in CI (a missing Chromium fails them), elsewhere if installed. */
export const haveChromium = canRunWith('chromium');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * Opens the bridge's UI as a user's browser does: the address with the access token, once. The
 * bridge answers with a cookie and a redirect to `/`; the page's later calls, event stream and
 * media requests carry the cookie. (`page.goto(host.url)` is the same thing.) A new browser
 * context has no cookie: open it there too.
 */
export async function openBridgeUi(page: Page, host: { url: string }): Promise<void> {
  await page.goto(host.url);
}

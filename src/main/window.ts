import { BrowserWindow, shell, type WebFrameMain } from 'electron';

export interface WindowOptions {
  preloadPath: string;
  /** Dev server URL (electron-vite dev) or null to load the built file. */
  devUrl: string | null;
  indexHtml: string;
  /** A packaged build: no developer tools at all. */
  packaged: boolean;
}

/**
 * The editor window. The renderer is untrusted territory: sandboxed, isolated, no Node, and it
 * may not navigate away or open windows (links go to the system browser), so the preload's
 * API is only ever offered to our own page. Web permissions are denied but for the few our page
 * uses (permissions.ts, installed on the session at start).
 */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#16181c',
    title: 'Lacuna',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      spellcheck: false,
      // A middle click must not open a link in a new window behind setWindowOpenHandler's back.
      disableBlinkFeatures: 'Auxclick',
      devTools: !options.packaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnUrl(url, options)) event.preventDefault();
  });
  if (options.devUrl) void win.loadURL(options.devUrl);
  else void win.loadFile(options.indexHtml);
  return win;
}

/** Whether `url` is our renderer: the dev server's origin, or the built index.html. */
export function isOwnUrl(url: string, options: Pick<WindowOptions, 'devUrl' | 'indexHtml'>): boolean {
  if (options.devUrl) return url.startsWith(new URL(options.devUrl).origin + '/');
  return url.startsWith('file://') && decodeURIComponent(new URL(url).pathname).endsWith(options.indexHtml.replace(/\\/g, '/'));
}

/** Whether an IPC sender is our page (the top frame showing our renderer), not an iframe or a stray navigation. */
export function isTrustedFrame(frame: WebFrameMain | null, options: WindowOptions): boolean {
  if (!frame || frame.parent) return false;
  return isOwnUrl(frame.url, options);
}

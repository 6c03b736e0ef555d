/*
 * Main-process bootstrap: wires Electron to the Electron-free engine host (AppService) and
 * nothing more. Every behaviour lives in a module of its own (ipc, window, menu, media
 * protocol, dialogs, close guard) or, when it need not touch Electron, in src/engine/app where
 * it is tested in plain Node.
 */
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { createDispatcher, createEmitter } from '../api/dispatch';
import { AppService } from '../engine/app/AppService';
import { installedRemovalEngines } from '../engine/removal/installedEngines';
import { createMediaHandler } from '../engine/app/media/mediaHandler';
import { withProjectPathRules } from '../engine/app/projectPathRules';
import { guardClose } from './closeGuard';
import { createHostHandlers } from './hostDialogs';
import { bindContract, broadcast } from './ipc';
import { buildMenu } from './menu';
import { handleMediaScheme, registerMediaScheme } from './mediaProtocol';
import { appPaths } from './paths';
import { installPermissionPolicy } from './permissions';
import { createMainWindow, isOwnUrl, isTrustedFrame } from './window';

const log = (message: string, error?: unknown) => console.error(`lacuna: ${message}`, error ?? '');

// Must happen before 'ready'.
registerMediaScheme();

if (!app.requestSingleInstanceLock()) {
  // A second launch hands over to the running one (which focuses its window) and exits.
  app.quit();
} else {
  void start().catch((e: unknown) => {
    log('startup failed', e);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  const paths = appPaths();
  let mainWindow: BrowserWindow | null = null;
  const windowOptions = { preloadPath: paths.preload, devUrl: paths.devUrl, indexHtml: paths.indexHtml, packaged: app.isPackaged };
  installPermissionPolicy(session.defaultSession, (url) => isOwnUrl(url, windowOptions));

  const emit = createEmitter(
    (name, payload) => broadcast(() => BrowserWindow.getAllWindows().map((w) => w.webContents), name, payload),
    { onBug: (channel, e) => log(`bad event ${channel}`, e) },
  );
  const service = await AppService.create({
    host: { kind: 'electron', nativeDialogs: true },
    appName: app.getName(),
    appVersion: app.getVersion(),
    versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
    dataDir: paths.userData,
    ffmpegBundledDir: paths.bundledFfmpegDir,
    emit,
    log,
    // Packs in the models folders, and those added in Settings, bring LGVI (src/engine/app/modelPacks.ts).
    engines: installedRemovalEngines(),
    modelRoots: paths.modelRoots,
  });
  const hostHandlers = createHostHandlers(() => mainWindow);
  // The same open/save path rules as the HTTP bridge (src/engine/app/projectPathRules.ts).
  const handlers = withProjectPathRules(service.handlers);
  const dispatch = createDispatcher({ ...handlers, ...hostHandlers }, { onBug: (channel, e) => log(`bug in ${channel}`, e) });
  bindContract(ipcMain, dispatch, (frame) => isTrustedFrame(frame, windowOptions));
  handleMediaScheme(createMediaHandler({ media: (p) => service.servableMedia(p), ffmpeg: () => service.ffmpegPath(), proxy: () => service.proxySettings(), log }));

  Menu.setApplicationMenu(
    buildMenu((command) => emit('menu.command', command), { appName: app.getName(), platform: process.platform, packaged: app.isPackaged }),
  );

  const openWindow = () => {
    const win = createMainWindow(windowOptions);
    guardClose(win, {
      unsaved: () => service.unsavedProject(),
      runningJobs: () => service.activeJobCount(),
      save: async () => void (await handlers['project.save']({})),
      saveAs: async (path) => void (await handlers['project.saveAs']({ path })),
      pickSavePath: (name) => hostHandlers['dialog.saveProject']({ suggestedName: name }),
    });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    mainWindow = win;
  };
  openWindow();

  app.on('second-instance', () => {
    if (!mainWindow) return openWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // macOS keeps the app alive with no window; the dock icon reopens it.
  app.on('activate', () => {
    if (!mainWindow) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    // Cancel jobs and let them remove partial files before the process goes.
    if (service.disposed) return;
    event.preventDefault();
    void service.dispose().finally(() => app.quit());
  });
}

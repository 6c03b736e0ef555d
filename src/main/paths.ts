import { app } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where things are at run time. The built layout (out/main, out/preload, out/renderer) is the
 * same in development and in the packaged app (inside app.asar); ffmpeg ships in
 * resources/ffmpeg when packaged (build/electron-builder.yml), else it is looked up as the CLI does.
 */
export function appPaths() {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return {
    preload: join(here, '../preload/index.cjs'),
    indexHtml: join(here, '../renderer/index.html'),
    /** Set by `electron-vite dev` to its dev server; absent in builds. */
    devUrl: !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null,
    bundledFfmpegDir: app.isPackaged ? join(process.resourcesPath, 'ffmpeg') : undefined,
    /** Model packs (removal engines) shipped beside the app. */
    bundledModelsDir: app.isPackaged ? join(process.resourcesPath, 'models') : join(here, '../../models'),
    /** Where model packs are looked for: shipped with the app, then installed by the user. */
    modelRoots: [app.isPackaged ? join(process.resourcesPath, 'models') : join(here, '../../models'), join(app.getPath('userData'), 'models')],
    userData: app.getPath('userData'),
  };
}

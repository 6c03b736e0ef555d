import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/*
 * Three builds, as electron-vite expects:
 *  - main: ESM (package.json "type": "module"), Node target of Electron's runtime. Dependencies
 *    stay external and load from node_modules (packed in app.asar); the native ones
 *    (onnxruntime-node, ffmpeg-static's binary) must never be bundled, and are unpacked from the
 *    asar by electron-builder (build/electron-builder.yml).
 *  - preload: the renderer runs sandboxed, and a sandboxed preload is evaluated as one CommonJS
 *    script that may require only 'electron' and a few Node shims, so it is CJS (index.cjs) with
 *    every dependency inlined.
 *  - renderer: the React app, a plain web bundle.
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: { include: ['onnxruntime-node', 'ffmpeg-static'] },
      rolldownOptions: {
        // The engine's worker threads are entries of their own: it starts them as
        // <bundle dir>/<name>.js (src/engine/util/moduleWorker.ts).
        input: {
          index: resolve('src/main/index.ts'),
          compositorWorker: resolve('src/engine/lgvi/windows/compositorWorker.ts'),
          ortWorker: resolve('src/engine/lgvi/pack/ortWorker.ts'),
          detectorThread: resolve('src/engine/lite/detect/detectorThread.ts'),
          fillThread: resolve('src/engine/lite/fill/fillThread.ts'),
          decodeThread: resolve('src/engine/media/decodeThread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react()],
  },
});

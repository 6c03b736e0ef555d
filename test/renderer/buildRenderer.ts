import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

/**
 * Builds the renderer exactly as electron-vite does (same root, same React plugin, relative
 * base) into `outDir`, for the browser-hosted tests. Building here rather than reusing out/
 * keeps a stale build from passing the tests.
 */
export async function buildRenderer(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: resolve(import.meta.dirname, '../../src/renderer'),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
  });
}

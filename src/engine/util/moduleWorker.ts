// Worker threads that run one of the engine's own modules. Where the engine runs from its
// TypeScript sources (the CLI, tests and benchmarks, all through tsx), the worker registers tsx and
// imports the .ts module; in the desktop app the module is a separate entry of the main bundle
// (electron.vite.config.ts), a .js file beside the bundle that the worker loads directly. The
// caller's own URL tells the two apart: a .ts caller is running from source.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The URL of tsx's ESM API module. require.resolve would give its CommonJS twin, whose register()
 * does not work from a worker's eval'd bootstrap, so the ESM entry is read from tsx's exports map.
 */
function tsxEsmApi(callerUrl: string): string {
  const require = createRequire(callerUrl);
  const manifest = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(join(dirname(manifest), pkg.exports['./esm/api'].import.default)).href;
}

/**
 * In the app, the worker entry `name` beside the main bundle: the caller is the bundle itself or a
 * chunk that the bundler split off into its `chunks/` folder (code loaded on first use, such as the
 * detector's), whose entries stay one level up.
 */
export function bundledWorkerPath(callerPath: string, name: string): string {
  const dir = dirname(callerPath);
  return join(basename(dir) === 'chunks' ? dirname(dir) : dir, `${name}.js`);
}

/**
 * Starts a worker running the module `name` (no extension) that sits beside the calling module
 * (`callerUrl`: the caller's import.meta.url) in the sources, or beside the main bundle in the app.
 */
export function startModuleWorker(callerUrl: string, name: string, workerData?: unknown): Worker {
  const callerPath = fileURLToPath(callerUrl);
  const dir = dirname(callerPath);
  if (!/\.[cm]?ts$/.test(callerPath)) return new Worker(bundledWorkerPath(callerPath, name), { workerData });
  const entry = pathToFileURL(join(dir, `${name}.ts`)).href;
  // tsx's loader hooks are per thread: register them in the worker, then import the module.
  const bootstrap = `import(${JSON.stringify(tsxEsmApi(callerUrl))}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

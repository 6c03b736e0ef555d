import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/engine/lgvi/pack/parseManifest';
import { SD_DDIM_SCHEDULER, SMALL_WORKING, writeAnalyticPack } from '../helpers/fixturePacks';
import { bundledWorkerPath } from '../../src/engine/util/moduleWorker';

/*
 * Builds the app with electron-vite (the same command `npm run build` runs; it needs no Electron
 * binary) and checks the result: the three outputs exist in the formats Electron needs, and the
 * main bundle loads in Node up to the point where Electron would take over, so no engine code it
 * pulls in breaks at import (a native addon loaded eagerly, a CJS/ESM mix-up, a missing dep).
 */
const root = join(import.meta.dirname, '../..');
const outDir = join(root, '.tmp/electron-build');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
}, 300_000);

describe('electron-vite build', () => {
  it('writes an ESM main, a CommonJS preload and the renderer', () => {
    const main = readFileSync(join(outDir, 'main/index.js'), 'utf8');
    expect(main).toMatch(/^import .* from "electron";$/m);
    const preload = readFileSync(join(outDir, 'preload/index.cjs'), 'utf8');
    // Sandboxed preloads are plain scripts: CommonJS, requiring only electron.
    expect(preload).toMatch(/require\("electron"\)/);
    expect(preload).not.toMatch(/^\s*import\s/m);
    const requires = [...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(existsSync(join(outDir, 'renderer/index.html'))).toBe(true);
    expect(readFileSync(join(outDir, 'renderer/index.html'), 'utf8')).toContain('Content-Security-Policy');
  });

  it('keeps native and runtime dependencies out of the main bundle', () => {
    const main = readFileSync(join(outDir, 'main/index.js'), 'utf8');
    const imports = [...main.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    const bare = imports.filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
    const deps = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies);
    // The package a specifier names: "@scope/name/sub" → "@scope/name", "name/sub" → "name".
    const packageOf = (s: string) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');
    for (const s of bare) expect(['electron', ...deps], s).toContain(packageOf(s));
    // onnxruntime-node and tfjs stay external and load on first use, not at startup.
    expect(main).not.toMatch(/onnxruntime_binding/);
    expect(imports.filter((s) => /onnxruntime|@tensorflow/.test(s))).toEqual([]);
    expect(main).toMatch(/import\("onnxruntime-node"\)/);
  });

  it('imports in Node with Electron stubbed, registering its media scheme before ready', () => {
    const out = execFileSync(process.execPath, [join(import.meta.dirname, 'fixtures/importMainBundle.mjs'), join(outDir, 'main/index.js')], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    const result = JSON.parse(out) as { ok: boolean; calls: { name: string; args: unknown[] }[] };
    expect(result.ok).toBe(true);
    const scheme = result.calls.find((c) => c.name === 'protocol.registerSchemesAsPrivileged');
    expect(scheme?.args[0]).toEqual([
      { scheme: 'lacuna-media', privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
    ]);
    // Nothing else happens before Electron is ready.
    expect(result.calls.filter((c) => c.name.startsWith('ipcMain') || c.name.startsWith('Menu'))).toEqual([]);
  });

  it('starts each worker from a file in the same folder as the worker entry (where startModuleWorker looks)', () => {
    const mainDir = join(outDir, 'main');
    const files = readdirSync(mainDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    const starts = files.flatMap((f) => [...readFileSync(join(mainDir, f), 'utf8').matchAll(/startModuleWorker\(import\.meta\.url, "(\w+)"/g)].map((m) => ({ file: f, name: m[1] })));
    expect(starts.map((s) => s.name).sort()).toEqual(['compositorWorker', 'decodeThread', 'detectorThread', 'fillThread', 'ortWorker']);
    for (const { file, name } of starts) {
      // From the bundle or one of its chunks (chunks/), and the entry is where startModuleWorker looks.
      expect(['.', 'chunks'], `${name} is started from ${file}`).toContain(dirname(file));
      expect(bundledWorkerPath(join(mainDir, file), name)).toBe(join(mainDir, `${name}.js`));
      expect(existsSync(join(mainDir, `${name}.js`))).toBe(true);
    }
  });

  it('ships the compositing worker beside the main bundle, and it composites a frame there', async () => {
    const file = join(outDir, 'main/compositorWorker.js');
    expect(readFileSync(file, 'utf8')).not.toMatch(/from "electron"/);
    const worker = new Worker(file);
    try {
      const w = 8;
      const h = 4;
      const source = { index: 3, sourceIndex: 3, time: { num: 3, den: 25 }, width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(10) };
      const reply = await new Promise<{ id: number; error?: string; data?: Uint8Array; alpha?: Uint8Array }>((done, fail) => {
        worker.once('message', done);
        worker.once('error', fail);
        worker.postMessage({
          id: 1, source, fill: new Float32Array(w * h * 3).fill(200), fillWidth: w, fillHeight: h,
          mask: new Float32Array(w * h).fill(1), maskWidth: w, maskHeight: h, matte: { dilate: 0, feather: 0 }, fullFrame: false,
        });
      });
      expect(reply.error).toBeUndefined();
      expect([...reply.data!]).toEqual(new Array(w * h * 3).fill(200));
      expect([...reply.alpha!]).toEqual(new Array(w * h).fill(255));
    } finally {
      await worker.terminate();
    }
  });

  it('ships the onnxruntime thread beside the main bundle, and it runs a denoising loop there', async () => {
    const file = join(outDir, 'main/ortWorker.js');
    expect(readFileSync(file, 'utf8')).not.toMatch(/from "electron"/);
    const pack = await writeAnalyticPack({ working: SMALL_WORKING });
    const worker = new Worker(file, { workerData: { ortPath: createRequire(import.meta.url).resolve('onnxruntime-node') } });
    type Reply = { error?: unknown; update?: unknown; handle?: number; runs?: number; latents?: Float32Array };
    const call = (message: Record<string, unknown>) =>
      new Promise<Reply>((done, fail) => {
        const onMessage = (m: Reply) => m.update === undefined && (worker.off('message', onMessage), done(m));
        worker.on('message', onMessage);
        worker.once('error', fail);
        worker.postMessage(message);
      });
    try {
      const opened = await call({ op: 'open', id: 1, path: join(pack.dir, 'unet.onnx'), options: { executionProviders: ['cpu'] } });
      expect(opened.error).toBeUndefined();
      const variant = parseManifest(readFileSync(join(pack.dir, 'manifest.json'), 'utf8'), pack.dir).files.unet;
      const n = 4 * 2 * 5 * 8;
      const window = {
        initial: new Float32Array(n).fill(0.5), condition: new Float32Array(n).fill(0.1),
        text: { prompt: new Float32Array(77 * 768).fill(0.01), empty: new Float32Array(77 * 768) },
        latentDims: [4, 2, 5, 8], guidance: { text: 3, image: 1.5 }, guidanceBatch: 'together', maskSteps: 1, noise: { seed: 1, keys: [0, 1] },
      };
      const done = await call({ op: 'denoise', id: 2, handle: opened.handle, variant, file: 'unet.onnx', request: { window, scheduler: { config: SD_DDIM_SCHEDULER, steps: 3 } } });
      expect(done.error).toBeUndefined();
      expect(done.runs).toBe(3);
      expect(done.latents!.length).toBe(n);
      expect(Number.isFinite(done.latents![0])).toBe(true);
    } finally {
      await worker.terminate();
      await pack.cleanup();
    }
  });
});

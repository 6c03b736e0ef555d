// Sessions on the onnxruntime thread: the same numbers as an in-process session, an event loop
// that keeps turning while a run is under way (the reason the thread exists), onnxruntime's own
// errors passed through, and a thread that ends with its last session and never keeps a process
// (a CLI run) alive.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrtThread, sharedOrtThread } from '../../src/engine/lgvi/pack/ortThread';
import { SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../helpers/fixturePacks';

let pack: FixturePack;
beforeAll(async () => {
  pack = await writeAnalyticPack({ working: SMALL_WORKING, maskSize: 'image' });
});
afterAll(async () => {
  await pack.cleanup();
});

const unetPath = () => join(pack.dir, 'unet.onnx');
const OPTIONS: InferenceSession.SessionOptions = { executionProviders: ['cpu'], logSeverityLevel: 3 };

/** U-Net feeds of batch b, `frames` frames, h x w latents (the analytic U-Net takes any size). */
function unetFeeds(b: number, frames: number, h: number, w: number): Record<string, Tensor> {
  const n = b * 4 * frames * h * w;
  const dims = [b, 4, frames, h, w];
  return {
    sample: new Tensor('float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7)), dims),
    timestep: new Tensor('float32', Float32Array.from({ length: b }, (_, i) => 250 * (i + 1)), [b]),
    encoder_hidden_states: new Tensor('float32', Float32Array.from({ length: b * 77 * 768 }, (_, i) => Math.cos(i / 5)), [b, 77, 768]),
    img_condition: new Tensor('float32', Float32Array.from({ length: n }, (_, i) => Math.cos(i / 3)), dims),
  };
}

describe('OrtThread', () => {
  it('gives exactly what an in-process session gives, with the session signature', async () => {
    const thread = new OrtThread(require.resolve('onnxruntime-node'));
    const session = await thread.createSession(unetPath(), OPTIONS);
    const local = await InferenceSession.create(unetPath(), OPTIONS);
    try {
      expect(session.inputNames).toEqual(local.inputNames);
      expect(session.outputNames).toEqual(local.outputNames);
      expect(session.inputMetadata).toEqual(JSON.parse(JSON.stringify(local.inputMetadata)));
      const feeds = unetFeeds(3, 4, 5, 8);
      const want = await local.run(feeds);
      const got = (await session.run(feeds, ['noise_pred', 'mask'])) as Record<string, { type: string; data: Float32Array; dims: number[] }>;
      for (const name of ['noise_pred', 'mask']) {
        expect(got[name].type).toBe('float32');
        expect(got[name].dims).toEqual([...want[name].dims]);
        expect(Buffer.from(got[name].data.buffer, got[name].data.byteOffset, got[name].data.byteLength).equals(Buffer.from((want[name].data as Float32Array).buffer))).toBe(true);
      }
      // The caller's feeds are copied, not moved: the sampler reuses its arrays.
      expect(feeds.sample.data.length).toBe(3 * 4 * 4 * 5 * 8);
    } finally {
      await session.release();
      await local.release();
    }
    expect(thread.running).toBe(false);
  });

  it('keeps the event loop turning during a run (in process, it stands still)', async () => {
    const feeds = unetFeeds(3, 24, 40, 64); // LGVI's real latent size: a run of tens of milliseconds
    const turnsDuring = async (run: () => Promise<unknown>) => {
      let turns = 0;
      let going = true;
      const spin = () => {
        if (!going) return;
        turns++;
        setImmediate(spin);
      };
      setImmediate(spin);
      await run();
      going = false;
      return turns;
    };
    const local = await InferenceSession.create(unetPath(), OPTIONS);
    const thread = sharedOrtThread();
    const session = await thread.createSession(unetPath(), OPTIONS);
    try {
      const inProcess = await turnsDuring(() => local.run(feeds));
      const onThread = await turnsDuring(() => session.run(feeds, ['noise_pred', 'mask']));
      expect(inProcess).toBeLessThanOrEqual(3);
      expect(onThread).toBeGreaterThan(20);
    } finally {
      await session.release();
      await local.release();
    }
  });

  it('sends a constant feed once while the same array comes back, and again when it changes', async () => {
    const thread = new OrtThread(require.resolve('onnxruntime-node'));
    const session = await thread.createSession(unetPath(), OPTIONS);
    const local = await InferenceSession.create(unetPath(), OPTIONS);
    const constants = new Set(['encoder_hidden_states', 'img_condition']);
    const bytes = (t: Tensor) => (t.data as Float32Array).byteLength;
    try {
      const feeds = unetFeeds(1, 4, 5, 8);
      const all = bytes(feeds.sample) + bytes(feeds.timestep) + bytes(feeds.encoder_hidden_states) + bytes(feeds.img_condition);
      const varying = bytes(feeds.sample) + bytes(feeds.timestep);
      const same = (a: unknown, b: Tensor) => Buffer.from((a as { data: Float32Array }).data.buffer).equals(Buffer.from((b.data as Float32Array).buffer));
      let before = thread.stats.bytesSent;
      await session.runWith!(feeds, ['noise_pred'], { constants });
      expect(thread.stats.bytesSent - before).toBe(all);
      // Step two: a new sample, the same condition arrays: only the sample and timestep travel.
      const step2 = { ...feeds, sample: new Tensor('float32', (feeds.sample.data as Float32Array).map((v) => v * 0.5), feeds.sample.dims) };
      before = thread.stats.bytesSent;
      const out2 = await session.runWith!(step2, ['noise_pred'], { constants });
      expect(thread.stats.bytesSent - before).toBe(varying);
      expect(same(out2.noise_pred, (await local.run(step2)).noise_pred)).toBe(true);
      // A new condition array (the next window) is sent again, and the result follows it.
      const window2 = { ...step2, img_condition: new Tensor('float32', (feeds.img_condition.data as Float32Array).map((v) => v + 1), feeds.img_condition.dims) };
      before = thread.stats.bytesSent;
      const out3 = await session.runWith!(window2, ['noise_pred'], { constants });
      expect(thread.stats.bytesSent - before).toBe(varying + bytes(window2.img_condition));
      expect(same(out3.noise_pred, (await local.run(window2)).noise_pred)).toBe(true);
      // Without the promise, everything is sent.
      before = thread.stats.bytesSent;
      await session.run(window2, ['noise_pred']);
      expect(thread.stats.bytesSent - before).toBe(all);
    } finally {
      await session.release();
      await local.release();
    }
  });

  it('counts runs and the time inside onnxruntime', async () => {
    const thread = new OrtThread(require.resolve('onnxruntime-node'));
    const session = await thread.createSession(unetPath(), OPTIONS);
    try {
      await session.run(unetFeeds(1, 4, 5, 8), ['noise_pred']);
      await session.run(unetFeeds(3, 4, 5, 8), ['noise_pred']);
      expect(thread.stats.runs).toBe(2);
      expect(thread.stats.runSeconds).toBeGreaterThan(0);
    } finally {
      await session.release();
    }
  });

  it('sends only the first item of an output asked for so, in a buffer of its own', async () => {
    const thread = new OrtThread(require.resolve('onnxruntime-node'));
    const session = await thread.createSession(unetPath(), OPTIONS);
    const local = await InferenceSession.create(unetPath(), OPTIONS);
    type Out = Record<string, { data: Float32Array; dims: number[] }>;
    try {
      const feeds = unetFeeds(3, 4, 5, 8);
      const whole = (await local.run(feeds)).mask;
      const perItem = whole.data.length / 3;
      const got = (await session.runWith!(feeds, ['noise_pred', 'mask'], { firstItemOf: ['mask'] })) as Out;
      expect(got.mask.dims).toEqual([1, ...whole.dims.slice(1)]);
      expect(got.noise_pred.dims[0]).toBe(3);
      expect(got.mask.data.buffer.byteLength).toBe(perItem * 4); // its own buffer, not the batch's
      expect(Array.from(got.mask.data)).toEqual(Array.from((whole.data as Float32Array).subarray(0, perItem)));
    } finally {
      await session.release();
      await local.release();
    }
  });

  it('times runs sent together one at a time: their time inside onnxruntime never exceeds the wall time', async () => {
    const thread = new OrtThread(require.resolve('onnxruntime-node'));
    const session = await thread.createSession(unetPath(), OPTIONS);
    try {
      const feeds = unetFeeds(3, 24, 40, 64); // tens of milliseconds a run
      await session.run(feeds, ['noise_pred']); // warm-up
      const before = thread.stats.runSeconds;
      const t0 = performance.now();
      await Promise.all([0, 1, 2, 3].map(() => session.run(feeds, ['noise_pred'])));
      const wall = (performance.now() - t0) / 1000;
      const inside = thread.stats.runSeconds - before;
      expect(inside).toBeGreaterThan(0);
      expect(inside).toBeLessThanOrEqual(wall);
    } finally {
      await session.release();
    }
  });

  it("passes onnxruntime's errors through and refuses a released session", async () => {
    const thread = new OrtThread(require.resolve('onnxruntime-node'));
    await expect(thread.createSession(join(pack.dir, 'missing.onnx'), OPTIONS)).rejects.toThrow(/missing\.onnx|no such file|Load model/i);
    const session = await thread.createSession(unetPath(), OPTIONS);
    const bad = { ...unetFeeds(1, 4, 5, 8), sample: new Tensor('float32', new Float32Array(10), [1, 10]) };
    await expect(session.run(bad, ['noise_pred'])).rejects.toThrow(/sample|rank|dimension/i);
    // A failed run leaves the session usable.
    const ok = (await session.run(unetFeeds(1, 4, 5, 8), ['noise_pred'])) as Record<string, { dims: number[] }>;
    expect(ok.noise_pred.dims).toEqual([1, 4, 4, 5, 8]);
    await session.release();
    await expect(session.run(unetFeeds(1, 4, 5, 8), ['noise_pred'])).rejects.toThrow(/released/);
    expect(thread.running).toBe(false);
  });

  it('does not keep a process alive: a script that never releases its session still exits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-ortthread-'));
    try {
      const script = join(dir, 'run.mts'); // .mts: an ES module outside the repo's package.json
      await writeFile(
        script,
        [
          `import { sharedOrtThread } from ${JSON.stringify(resolve('src/engine/lgvi/pack/ortThread.ts'))};`,
          `const s = await sharedOrtThread().createSession(${JSON.stringify(unetPath())}, { executionProviders: ['cpu'] });`,
          `const d = [1, 4, 2, 5, 8];`,
          // Tensor-shaped objects: the script lives outside the repo, where no bare import resolves.
          `const t = (data: Float32Array, dims: number[]) => ({ type: 'float32', data, dims }) as never;`,
          `const r = await s.run({ sample: t(new Float32Array(320), d), timestep: t(new Float32Array([1]), [1]),`,
          `  encoder_hidden_states: t(new Float32Array(77 * 768), [1, 77, 768]), img_condition: t(new Float32Array(320), d) }, ['noise_pred']);`,
          `console.log(JSON.stringify((r as any).noise_pred.dims));`,
        ].join('\n'),
      );
      const result = await new Promise<{ code: number | null; out: string }>((done, fail) => {
        const child = spawn(process.execPath, [resolve('bin/run-ts.mjs'), script], { cwd: resolve('.'), stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        const timer = setTimeout(() => (child.kill('SIGKILL'), fail(new Error('the process did not exit: the onnxruntime thread kept it alive'))), 20_000);
        child.on('close', (code) => (clearTimeout(timer), done({ code, out })));
      });
      expect(result.code).toBe(0);
      expect(result.out.trim()).toBe('[1,4,2,5,8]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

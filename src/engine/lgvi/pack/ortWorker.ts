// The onnxruntime thread (pack/ortThread.ts): every session lives here. Besides single runs it
// runs a whole window's denoising loop next to the U-Net (sampler/denoiseLoop.ts), so the 50 or
// so steps of a window go back to back without a round trip to the sampler's thread, whose event
// loop is busy decoding, blending and compositing frames. Runs as a worker entry (started through
// util/moduleWorker.ts); onnxruntime-node comes by the path the main side resolved (in the app,
// inside app.asar.unpacked).
//
// The caller's feed copies go back once a run is done (`spent`), so the engine's side copies the
// next feeds into them instead of allocating (a VAE batch is 16 MB).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type * as Ort from 'onnxruntime-node';
import { denoiseLatents, schedulerFromSpec } from '../sampler/denoiseLoop';
import { OrtRunner, type SessionLike } from './ortRunner';
import type { OrtReply, OrtRequest, OrtWorkerData, WireTensor } from './ortWire';

const port = parentPort;
if (!port) throw new Error('ortWorker must run as a worker thread');
const { ortPath } = workerData as OrtWorkerData;
const ort = createRequire(import.meta.url)(ortPath) as typeof Ort;

interface Entry {
  readonly session: Ort.InferenceSession;
  /** Constant feeds kept between runs, by input name. */
  readonly kept: Map<string, Ort.Tensor>;
}

const sessions = new Map<number, Entry>();
/** Denoising loops under way, by request id: a 'cancel' aborts one between steps. */
const loops = new Map<number, AbortController>();
let nextHandle = 1;

/**
 * Runs one session.run at a time, timed from when it starts. Requests arrive while a denoising
 * loop awaits its U-Net (the next window's VAE batches, sent ahead); onnxruntime-node would run
 * them one after another anyway (each run blocks this thread), but timed from their arrival each
 * would count the other's time as its own.
 */
let runQueue: Promise<unknown> = Promise.resolve();
function timedRun(session: Ort.InferenceSession, feeds: Record<string, Ort.Tensor>, fetches: readonly string[]): Promise<{ results: Ort.InferenceSession.ReturnType; ms: number }> {
  const turn = runQueue.then(async () => {
    const started = performance.now();
    const results = await session.run(feeds, fetches as string[]);
    return { results, ms: performance.now() - started };
  });
  runQueue = turn.catch(() => {});
  return turn;
}

const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v === undefined ? null : v)) as T;

function reply(message: OrtReply, transfer: ArrayBuffer[] = []): void {
  try {
    port!.postMessage(message, transfer);
  } catch {
    // A buffer onnxruntime will not let go of (not detachable) is sent as a copy instead.
    port!.postMessage(message);
  }
}

type View = Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array;

function entryOf(handle: number): Entry {
  const entry = sessions.get(handle);
  if (!entry) throw new Error('the onnxruntime session was already released');
  return entry;
}

async function run(m: Extract<OrtRequest, { op: 'run' }>): Promise<void> {
  const entry = entryOf(m.handle);
  const feeds: Record<string, Ort.Tensor> = {};
  const spent: ArrayBuffer[] = [];
  for (const [name, t] of Object.entries(m.feeds)) {
    if (t.kept) {
      const kept = entry.kept.get(name);
      if (!kept) throw new Error(`no kept tensor for input "${name}"`);
      feeds[name] = kept;
      continue;
    }
    feeds[name] = new ort.Tensor(t.type as 'float32', t.data as Float32Array, t.dims as number[]);
    const old = entry.kept.get(name);
    if (old) spent.push((old.data as View).buffer as ArrayBuffer);
    if (t.keep) entry.kept.set(name, feeds[name]);
    else {
      entry.kept.delete(name);
      spent.push((t.data as View).buffer as ArrayBuffer);
    }
  }
  const { results, ms: runMs } = await timedRun(entry.session, feeds, m.fetches);
  const outputs: Record<string, WireTensor> = {};
  const transfer = [...spent];
  for (const [name, t] of Object.entries(results)) {
    const dims = [...t.dims];
    let view = t.data as View;
    if (m.firstItemOf.includes(name) && dims[0] > 1) {
      view = view.subarray(0, view.length / dims[0]);
      dims[0] = 1;
    }
    // A first item goes in a buffer of its own: sending the whole batch's would move all of it.
    const data = view.byteLength === view.buffer.byteLength ? view : view.slice();
    outputs[name] = { type: t.type, data, dims };
    if (!transfer.includes(data.buffer as ArrayBuffer)) transfer.push(data.buffer as ArrayBuffer);
  }
  reply({ id: m.id, outputs, spent, runMs, runs: 1 }, transfer);
}

/** The session as OrtRunner takes it, run here directly. */
function localSession(session: Ort.InferenceSession, onRun: (ms: number) => void): SessionLike {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    release: () => session.release(),
    run: async (feeds, fetches) => {
      const { results, ms } = await timedRun(session, feeds, fetches);
      onRun(ms);
      return results;
    },
  };
}

async function denoise(m: Extract<OrtRequest, { op: 'denoise' }>): Promise<void> {
  const entry = entryOf(m.handle);
  const controller = new AbortController();
  loops.set(m.id, controller);
  let runMs = 0;
  let runs = 0;
  try {
    const runner = new OrtRunner(localSession(entry.session, (ms) => ((runMs += ms), runs++)), m.variant, 'cpu', m.file, ort.Tensor);
    const scheduler = schedulerFromSpec(m.request.scheduler);
    // Each averaged step's mask moves to the engine's side (its buffer, not a copy) to be summed there.
    const masks = { add: (mask: Float32Array) => reply({ id: m.id, update: { mask } }, [mask.buffer as ArrayBuffer]) };
    const latents = await denoiseLatents(m.request.window, scheduler, (feeds, request) => runner.run(feeds, request), masks, {
      signal: controller.signal,
      onStep: (done, total) => port!.postMessage({ id: m.id, update: { done, total } } satisfies OrtReply),
    });
    reply({ id: m.id, latents, runMs, runs }, [latents.buffer as ArrayBuffer]);
  } catch (e) {
    // The runs a stopped or failed loop made still count.
    reply({ id: m.id, error: errorOf(e), runMs, runs });
  } finally {
    loops.delete(m.id);
  }
}

async function handle(m: OrtRequest): Promise<void> {
  switch (m.op) {
    case 'open': {
      const session = m.model ? await ort.InferenceSession.create(m.model, m.options) : await ort.InferenceSession.create(m.path, m.options);
      const handle = nextHandle++;
      sessions.set(handle, { session, kept: new Map() });
      return reply({
        id: m.id,
        handle,
        signature: {
          inputNames: plain(session.inputNames),
          outputNames: plain(session.outputNames),
          inputMetadata: plain(session.inputMetadata) || undefined,
          outputMetadata: plain(session.outputMetadata) || undefined,
        },
      });
    }
    case 'release': {
      const entry = sessions.get(m.handle);
      sessions.delete(m.handle);
      if (entry) await entry.session.release();
      return reply({ id: m.id });
    }
    case 'run':
      return run(m);
    case 'denoise':
      return denoise(m);
    case 'cancel':
      loops.get(m.target)?.abort();
      return;
  }
}

function errorOf(e: unknown): NonNullable<OrtReply['error']> {
  const code = (e as { code?: unknown } | undefined)?.code;
  return e instanceof Error ? { message: e.message, name: e.name, ...(typeof code === 'string' && { code }) } : { message: String(e) };
}

port.on('message', (m: OrtRequest) => {
  handle(m).catch((e: unknown) => reply({ id: m.id, error: errorOf(e) }));
});

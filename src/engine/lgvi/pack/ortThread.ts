// onnxruntime sessions on their own thread. onnxruntime-node's `session.run` is a synchronous
// native call behind a setImmediate (onnxruntime issues #19611, #26968): while a U-Net step runs
// for seconds, the event loop stands still, so the decoder and encoder pipes stop, frames waiting
// to be composited wait, and in the desktop app the main process stops answering the window. Here
// every session lives in one worker thread and the event loop stays free: the next window's
// frames decode and the previous window's frames are composited and encoded while the model runs.
//
// One thread for all sessions, not one per session: onnxruntime-node is not safe with several
// worker threads using it at once (onnxruntime issue #24486), and runs are sequential anyway (the
// job queue runs GPU jobs one at a time). The thread starts with the first session and ends when
// the last one is released, which also hands its memory back.
//
// The worker's code is a plain-JavaScript string run with `eval: true`: it needs nothing but
// onnxruntime-node (passed as a resolved path), so it works unchanged under Node, tsx, vitest and
// a bundled Electron main process, where a separate worker entry file would need per-build paths.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { asarUnpacked } from '../../util/asarUnpacked';
import { WorkerCalls } from '../../util/workerCalls';
import type { RunWithOptions, SessionFactory, SessionLike } from './ortRunner';

/**
 * A tensor as it crosses the thread boundary: onnxruntime's element type, a compact typed array,
 * dims. A constant feed is sent once with `keep` (the worker keeps it for the session) and then
 * as `kept` with no data while the caller passes the same array.
 */
interface WireTensor {
  type: string;
  data?: ArrayBufferView;
  dims: readonly number[];
  keep?: boolean;
  kept?: boolean;
}

type Request =
  | { op: 'open'; id: number; path: string; options: InferenceSession.SessionOptions }
  | { op: 'run'; id: number; handle: number; feeds: Record<string, WireTensor>; fetches: readonly string[]; firstItemOf: readonly string[]; spares: ArrayBuffer[] }
  | { op: 'release'; id: number; handle: number };

interface Reply {
  id: number;
  error?: { message: string; name?: string };
  handle?: number;
  signature?: Pick<SessionLike, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>;
  outputs?: Record<string, WireTensor>;
  /** Feed buffers the worker is done with (this run's, and kept ones it replaced), for reuse. */
  spent?: ArrayBuffer[];
  /** When session.run started (ms since the epoch, as performance.timeOrigin + now()), and how long it took. */
  startedAt?: number;
  runMs?: number;
  /** Outputs that went into spares. */
  reused?: number;
}

/**
 * Buffers go back and forth instead of being allocated per run: the caller's feed copies come
 * back once the run is done, and output arrays the caller is finished with (RunWithOptions.reuse)
 * go to the worker as `spares` that the next outputs of the same byte size are copied into. A
 * U-Net step otherwise makes ~6 MB of new buffers on each side (50 steps a window), and the
 * collector runs that garbage reclaims stall the sampler between model runs.
 */
const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const ort = require(workerData.ortPath);
const MAX_SPARES = workerData.maxSpares;
const sessions = new Map();
let nextHandle = 1;
const plain = (v) => JSON.parse(JSON.stringify(v === undefined ? null : v));
function reply(message, transfer) {
  try {
    parentPort.postMessage(message, transfer);
  } catch (e) {
    // A buffer onnxruntime will not let go of (not detachable) is sent as a copy instead.
    parentPort.postMessage(message);
  }
}
/** An output in a spare buffer of its byte size if the caller gave one back; a part of one (a first item) in its own buffer. */
function intoSpare(entry, data, counts) {
  const at = entry.spares.findIndex((b) => b.byteLength === data.byteLength);
  if (at < 0) return data.byteLength === data.buffer.byteLength ? data : data.slice();
  counts.reused++;
  const spare = entry.spares.splice(at, 1)[0];
  new Uint8Array(spare).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return new data.constructor(spare);
}
async function handle(m) {
  if (m.op === 'open') {
    const session = await ort.InferenceSession.create(m.path, m.options);
    const handle = nextHandle++;
    sessions.set(handle, { session, kept: new Map(), spares: [] });
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
  const entry = sessions.get(m.handle);
  if (m.op === 'release') {
    sessions.delete(m.handle);
    if (entry) await entry.session.release();
    return reply({ id: m.id });
  }
  if (!entry) throw new Error('the onnxruntime session was already released');
  for (const b of m.spares) entry.spares.push(b);
  if (entry.spares.length > MAX_SPARES) entry.spares.splice(0, entry.spares.length - MAX_SPARES);
  const feeds = {};
  const spent = [];
  for (const name of Object.keys(m.feeds)) {
    const t = m.feeds[name];
    if (t.kept) {
      feeds[name] = entry.kept.get(name);
      if (!feeds[name]) throw new Error('no kept tensor for input "' + name + '"');
      continue;
    }
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    const old = entry.kept.get(name);
    if (old) spent.push(old.data.buffer);
    if (t.keep) entry.kept.set(name, feeds[name]);
    else {
      entry.kept.delete(name);
      spent.push(t.data.buffer);
    }
  }
  const started = performance.now();
  const results = await entry.session.run(feeds, m.fetches);
  const runMs = performance.now() - started;
  const outputs = {};
  const transfer = [...spent];
  const counts = { reused: 0 };
  for (const name of Object.keys(results)) {
    const t = results[name];
    const dims = Array.from(t.dims);
    let view = t.data;
    if (m.firstItemOf.includes(name) && dims[0] > 1 && ArrayBuffer.isView(view)) {
      view = view.subarray(0, view.length / dims[0]);
      dims[0] = 1;
    }
    const data = ArrayBuffer.isView(view) ? intoSpare(entry, view, counts) : view;
    outputs[name] = { type: t.type, data, dims };
    if (ArrayBuffer.isView(data) && !transfer.includes(data.buffer)) transfer.push(data.buffer);
  }
  reply({ id: m.id, outputs, spent, startedAt: performance.timeOrigin + started, runMs, reused: counts.reused }, transfer);
}
parentPort.on('message', (m) => {
  handle(m).catch((e) => reply({ id: m.id, error: { message: e && e.message ? String(e.message) : String(e), name: e && e.name } }));
});
`;

/** Spare output buffers a session's worker side holds at most (a B=3 step's outputs, with room). */
const MAX_SPARES = 8;
/** Returned feed buffers kept per byte size: a step's own feeds, and the next window's. */
const FEED_POOL_DEPTH = 3;

type TypedArrayClass = new (buffer: ArrayBuffer) => ArrayBufferView;

/** Feed buffers handed back by the worker, by byte size, ready for the next run's copies. */
class BufferPool {
  private readonly bySize = new Map<number, ArrayBuffer[]>();

  take(byteLength: number): ArrayBuffer {
    return this.bySize.get(byteLength)?.pop() ?? new ArrayBuffer(byteLength);
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return; // detached, or nothing worth keeping
    const list = this.bySize.get(buffer.byteLength) ?? [];
    if (list.length < FEED_POOL_DEPTH) list.push(buffer);
    this.bySize.set(buffer.byteLength, list);
  }
}

/**
 * A copy of a feed in a buffer of its own (from the pool): the feed can be a view into a larger
 * array (a batch slice), whose whole buffer a transfer would move, and the sampler keeps using its
 * own arrays across steps, so they cannot be moved away from it.
 */
function pooledCopy(data: ArrayBufferView, pool: BufferPool): ArrayBufferView {
  const buffer = pool.take(data.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return new (data.constructor as TypedArrayClass)(buffer);
}

/** The caller's finished output arrays that can move to the worker whole (not views, not shared, not already going). */
function sparesFrom(reuse: readonly ArrayBufferView[], taken: readonly ArrayBuffer[]): ArrayBuffer[] {
  const spares: ArrayBuffer[] = [];
  for (const view of reuse) {
    const buffer = view.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) continue;
    if (view.byteOffset !== 0 || view.byteLength !== buffer.byteLength) continue;
    if (taken.includes(buffer) || spares.includes(buffer)) continue;
    spares.push(buffer);
  }
  return spares;
}

export interface OrtThreadStats {
  /** Runs done, and seconds spent inside onnxruntime's session.run (what a benchmark subtracts). */
  runs: number;
  runSeconds: number;
  /** Feed bytes sent to the thread (constant feeds count once). */
  bytesSent: number;
  /** Outputs written into arrays the caller handed back instead of new memory. */
  reusedOutputs: number;
}

export class OrtThread {
  private worker: Worker | undefined;
  private readonly calls = new WorkerCalls<Reply>('the onnxruntime thread', () => {
    // A pending reply keeps the process alive; an idle thread never does (a CLI run must exit).
    if (this.calls.waiting === 0) this.worker?.unref();
  });
  private openSessions = 0;
  /** For tests and benchmarks. */
  readonly stats: OrtThreadStats = { runs: 0, runSeconds: 0, bytesSent: 0, reusedOutputs: 0 };

  /** `ortPath`: onnxruntime-node's entry file, resolved by the caller's module system. */
  constructor(private readonly ortPath: string) {}

  /** Whether a worker thread is running now (tests check that it ends with the last session). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  readonly createSession: SessionFactory = async (path, options) => {
    const reply = await this.request({ op: 'open', id: 0, path, options });
    const handle = reply.handle!;
    this.openSessions++;
    let released = false;
    /** Per constant input, the caller's array the worker holds a copy of. */
    const kept = new Map<string, unknown>();
    const pool = new BufferPool();
    const session: SessionLike = {
      ...reply.signature!,
      run: (feeds: Record<string, Tensor>, fetches: readonly string[]) => session.runWith!(feeds, fetches, {}),
      runWith: async (feeds: Record<string, Tensor>, fetches: readonly string[], { constants, reuse = [], firstItemOf = [] }: RunWithOptions) => {
        if (released) throw new Error(`${path}: the session was released`);
        const wire: Record<string, WireTensor> = {};
        const transfer: ArrayBuffer[] = [];
        for (const [name, tensor] of Object.entries(feeds)) {
          const constant = constants?.has(name) ?? false;
          if (constant && kept.get(name) === tensor.data) {
            wire[name] = { type: tensor.type, dims: [...tensor.dims], kept: true };
            continue;
          }
          const data = pooledCopy(tensor.data as ArrayBufferView, pool);
          wire[name] = { type: tensor.type, data, dims: [...tensor.dims], ...(constant && { keep: true }) };
          transfer.push(data.buffer as ArrayBuffer);
          this.stats.bytesSent += data.byteLength;
          if (constant) kept.set(name, tensor.data);
          else kept.delete(name);
        }
        const spares = sparesFrom(reuse, transfer);
        try {
          const out = await this.request({ op: 'run', id: 0, handle, feeds: wire, fetches, firstItemOf, spares }, [...transfer, ...spares]);
          for (const b of out.spent ?? []) pool.give(b);
          this.stats.runs++;
          this.stats.runSeconds += (out.runMs ?? 0) / 1000;
          this.stats.reusedOutputs += out.reused ?? 0;
          return out.outputs! as unknown as Record<string, unknown>;
        } catch (e) {
          // The worker may not have kept what this run sent: send everything again next time.
          kept.clear();
          throw e;
        }
      },
      release: async () => {
        if (released) return;
        released = true;
        try {
          await this.request({ op: 'release', id: 0, handle });
        } finally {
          this.openSessions--;
          this.stopIfIdle();
        }
      },
    };
    return session;
  };

  private async request(message: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const worker = this.start();
    worker.ref();
    const reply = await this.calls.call(worker, message, transfer);
    if (reply.error) throw Object.assign(new Error(reply.error.message), reply.error.name && reply.error.name !== 'Error' ? { name: reply.error.name } : {});
    return reply;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath: this.ortPath, maxSpares: MAX_SPARES } });
    worker.unref();
    this.calls.attach(worker, {
      isCurrent: () => this.worker === worker,
      onLost: () => {
        this.worker = undefined;
        this.openSessions = 0;
      },
    });
    this.worker = worker;
    return worker;
  }

  /** Ends the thread once no session is open and no request is waiting: its memory goes back. */
  private stopIfIdle(): void {
    if (this.openSessions > 0 || this.calls.waiting > 0 || !this.worker) return;
    const worker = this.worker;
    this.worker = undefined;
    void worker.terminate();
  }
}

let shared: OrtThread | undefined;

/** The process's onnxruntime thread (created on first use; onnxruntime is loaded only inside it). */
export function sharedOrtThread(): OrtThread {
  if (!shared) {
    const require = createRequire(import.meta.url);
    shared = new OrtThread(asarUnpacked(require.resolve('onnxruntime-node')));
  }
  return shared;
}

/** The default session factory: sessions on the shared onnxruntime thread. */
export const threadSessionFactory: SessionFactory = (path, options) => sharedOrtThread().createSession(path, options);

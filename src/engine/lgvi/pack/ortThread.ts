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
import type { SessionFactory, SessionLike } from './ortRunner';

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
  | { op: 'run'; id: number; handle: number; feeds: Record<string, WireTensor>; fetches: readonly string[] }
  | { op: 'release'; id: number; handle: number };

interface Reply {
  id: number;
  error?: { message: string; name?: string };
  handle?: number;
  signature?: Pick<SessionLike, 'inputNames' | 'outputNames' | 'inputMetadata' | 'outputMetadata'>;
  outputs?: Record<string, WireTensor>;
}

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
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
async function handle(m) {
  if (m.op === 'open') {
    const session = await ort.InferenceSession.create(m.path, m.options);
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
  const entry = sessions.get(m.handle);
  if (m.op === 'release') {
    sessions.delete(m.handle);
    if (entry) await entry.session.release();
    return reply({ id: m.id });
  }
  if (!entry) throw new Error('the onnxruntime session was already released');
  const feeds = {};
  for (const name of Object.keys(m.feeds)) {
    const t = m.feeds[name];
    if (t.kept) {
      feeds[name] = entry.kept.get(name);
      if (!feeds[name]) throw new Error('no kept tensor for input "' + name + '"');
      continue;
    }
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    if (t.keep) entry.kept.set(name, feeds[name]);
    else entry.kept.delete(name);
  }
  const results = await entry.session.run(feeds, m.fetches);
  const outputs = {};
  const transfer = [];
  for (const name of Object.keys(results)) {
    const t = results[name];
    outputs[name] = { type: t.type, data: t.data, dims: Array.from(t.dims) };
    if (ArrayBuffer.isView(t.data) && !transfer.includes(t.data.buffer)) transfer.push(t.data.buffer);
  }
  reply({ id: m.id, outputs }, transfer);
}
parentPort.on('message', (m) => {
  handle(m).catch((e) => reply({ id: m.id, error: { message: e && e.message ? String(e.message) : String(e), name: e && e.name } }));
});
`;

/**
 * A copy of a feed that owns exactly its bytes. Sending it then moves one buffer instead of
 * cloning: a feed can be a view into a larger array (a batch slice), whose whole buffer a clone
 * would copy, and the sampler keeps using its own arrays (the condition, the text) across steps,
 * so they cannot be moved away from it.
 */
function ownedCopy(data: ArrayBufferView): ArrayBufferView {
  return (data as unknown as { slice(): ArrayBufferView }).slice();
}

export class OrtThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private openSessions = 0;
  /** Feed bytes sent to the thread so far (constant feeds count once): for tests and benchmarks. */
  bytesSent = 0;

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
    const session: SessionLike = {
      ...reply.signature!,
      run: (feeds: Record<string, Tensor>, fetches: readonly string[]) => session.runWithConstants!(feeds, fetches, new Set()),
      runWithConstants: async (feeds: Record<string, Tensor>, fetches: readonly string[], constants: ReadonlySet<string>) => {
        if (released) throw new Error(`${path}: the session was released`);
        const wire: Record<string, WireTensor> = {};
        const transfer: ArrayBuffer[] = [];
        for (const [name, tensor] of Object.entries(feeds)) {
          const constant = constants.has(name);
          if (constant && kept.get(name) === tensor.data) {
            wire[name] = { type: tensor.type, dims: [...tensor.dims], kept: true };
            continue;
          }
          const data = ownedCopy(tensor.data as ArrayBufferView);
          wire[name] = { type: tensor.type, data, dims: [...tensor.dims], ...(constant && { keep: true }) };
          transfer.push(data.buffer as ArrayBuffer);
          this.bytesSent += data.byteLength;
          if (constant) kept.set(name, tensor.data);
          else kept.delete(name);
        }
        try {
          const out = await this.request({ op: 'run', id: 0, handle, feeds: wire, fetches }, transfer);
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

  private request(message: Request, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A pending reply keeps the process alive; an idle thread never does (a CLI run must exit).
      worker.ref();
      worker.postMessage({ ...message, id }, transfer);
    }).then((reply) => {
      if (reply.error) throw Object.assign(new Error(reply.error.message), reply.error.name && reply.error.name !== 'Error' ? { name: reply.error.name } : {});
      return reply;
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath: this.ortPath } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiter?.resolve(reply);
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.openSessions = 0;
      const waiters = [...this.pending.values()];
      this.pending.clear();
      for (const w of waiters) w.reject(new Error(`the onnxruntime thread stopped: ${why}`));
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }

  /** Ends the thread once no session is open and no request is waiting: its memory goes back. */
  private stopIfIdle(): void {
    if (this.openSessions > 0 || this.pending.size > 0 || !this.worker) return;
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

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
// Besides single runs, the thread runs a window's whole denoising loop next to the U-Net
// (`denoise`): a step then costs no round trip to this thread and never waits for this event
// loop, which meanwhile decodes, blends and composites frames. The thread's code is ortWorker.ts,
// started through util/moduleWorker.ts (a second entry of the app's main bundle); onnxruntime-node
// is loaded there by the path resolved here, which in the app points into app.asar.unpacked.
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import type { Tensor } from 'onnxruntime-node';
import { asarUnpacked } from '../../util/asarUnpacked';
import { cancelledError } from '../../util/errors';
import { startModuleWorker } from '../../util/moduleWorker';
import { WorkerCalls } from '../../util/workerCalls';
import { MaskAverage } from '../sampler/denoiseLoop';
import type { RunWithOptions, SessionFactory, SessionLike } from './ortRunner';
import type { OrtReply, OrtRequest, OrtWorkerData, WireTensor } from './ortWire';

/** Returned feed buffers kept per byte size: a step's own feeds, and the next window's. */
const FEED_POOL_DEPTH = 3;

type TypedArrayClass = new (buffer: ArrayBuffer) => ArrayBufferView;

/** Feed buffers handed back by the thread, by byte size, ready for the next run's copies. */
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

export interface OrtThreadStats {
  /** Runs done, and seconds spent inside onnxruntime's session.run (what a benchmark subtracts). */
  runs: number;
  runSeconds: number;
  /** Feed bytes sent to the thread (constant feeds count once). */
  bytesSent: number;
  /** Denoising loops run on the thread. */
  loops: number;
  /** Sessions opened, ever (each costs graph optimisation time). */
  sessionsOpened: number;
}

export class OrtThread {
  private worker: Worker | undefined;
  private readonly calls = new WorkerCalls<OrtReply>('the onnxruntime thread', () => {
    // A pending reply keeps the process alive; an idle thread never does (a CLI run must exit).
    if (this.calls.waiting === 0) this.worker?.unref();
  });
  private openSessions = 0;
  /** For tests and benchmarks. */
  readonly stats: OrtThreadStats = { runs: 0, runSeconds: 0, bytesSent: 0, loops: 0, sessionsOpened: 0 };

  /** `ortPath`: onnxruntime-node's entry file, resolved by the caller's module system. */
  constructor(private readonly ortPath: string) {}

  /** Whether a worker thread is running now (tests check that it ends with the last session). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  readonly createSession: SessionFactory = async (path, options, model) => {
    const reply = await this.request({ op: 'open', id: 0, path, options, ...(model && { model }) });
    const handle = reply.handle!;
    this.openSessions++;
    this.stats.sessionsOpened++;
    let released = false;
    /** Per constant input, the caller's array the thread holds a copy of. */
    const kept = new Map<string, unknown>();
    const pool = new BufferPool();
    const live = () => {
      if (released) throw new Error(`${path}: the session was released`);
    };
    const session: SessionLike = {
      ...reply.signature!,
      run: (feeds: Record<string, Tensor>, fetches: readonly string[]) => session.runWith!(feeds, fetches, {}),
      runWith: async (feeds: Record<string, Tensor>, fetches: readonly string[], { constants, firstItemOf = [] }: RunWithOptions) => {
        live();
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
        try {
          const out = await this.request({ op: 'run', id: 0, handle, feeds: wire, fetches, firstItemOf }, transfer);
          for (const b of out.spent ?? []) pool.give(b);
          return out.outputs! as unknown as Record<string, unknown>;
        } catch (e) {
          // The thread may not have kept what this run sent: send everything again next time.
          kept.clear();
          throw e;
        }
      },
      denoise: async ({ variant, file, request }, { signal, onStep }) => {
        live();
        if (signal?.aborted) throw cancelledError();
        // Stopped between steps on the thread; the id is the one request() is about to give the call.
        const target = this.calls.nextCallId;
        const cancel = () => this.worker?.postMessage({ op: 'cancel', id: 0, target } satisfies OrtRequest);
        signal?.addEventListener('abort', cancel, { once: true });
        try {
          // Progress stops at a cancel even though the loop may take another step before it hears.
          const masks = new MaskAverage();
          const out = await this.request({ op: 'denoise', id: 0, handle, variant, file, request }, [], (u) => {
            if (u.mask) masks.add(u.mask);
            else if (!signal?.aborted) onStep?.(u.done, u.total);
          });
          this.stats.loops++;
          if (signal?.aborted) throw cancelledError();
          return { latents: out.latents!, mask: masks.average() };
        } catch (e) {
          if (signal?.aborted) throw cancelledError();
          throw e;
        } finally {
          signal?.removeEventListener('abort', cancel);
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

  private async request(message: OrtRequest, transfer: ArrayBuffer[] = [], onUpdate?: (u: NonNullable<OrtReply['update']>) => void): Promise<OrtReply> {
    const worker = this.start();
    worker.ref();
    const reply = await this.calls.call(worker, message, transfer, onUpdate);
    // Runs count whether the request succeeded or not (a cancelled loop made some).
    this.stats.runs += reply.runs ?? 0;
    this.stats.runSeconds += (reply.runMs ?? 0) / 1000;
    if (reply.error) throw Object.assign(new Error(reply.error.message), reply.error.name && reply.error.name !== 'Error' ? { name: reply.error.name } : {});
    return reply;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const data: OrtWorkerData = { ortPath: this.ortPath };
    const worker = startModuleWorker(import.meta.url, 'ortWorker', data);
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
export const threadSessionFactory: SessionFactory = (path, options, model) => sharedOrtThread().createSession(path, options, model);

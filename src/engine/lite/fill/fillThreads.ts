// Worker threads for the fill's per-frame stages (fillStages.ts). Lite's fill is JavaScript on one
// thread, and at 1080p it was most of a removal's time while the machine's other cores idled. A
// stage's frames are independent given the earlier stages, so this thread and the workers take
// frames from one shared counter until none is left, each writing its frames' part of the window's
// shared buffers (fillWindow.ts). The bytes are the same whichever thread did a frame.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../util/moduleWorker';
import { WorkerCalls } from '../../util/workerCalls';
import { yieldToEventLoop } from '../../util/yieldToEventLoop';
import { allFrames, runStageAt, type FrameSpan, type StageName, type StageOutput, type StageParamsOf } from './fillStages';
import type { FillWindow, FillWindowTransfer } from './fillWindow';

export type FillThreadRequest =
  | { id: number; kind: 'hello' }
  | { id: number; kind: 'window'; window: number; transfer: FillWindowTransfer }
  | { id: number; kind: 'release'; window: number }
  | { id: number; kind: 'stage'; window: number; stage: StageName; params: unknown; span: FrameSpan; counter: Int32Array };

export type FillThreadReply = { id: number; error?: string; results?: [number, unknown][] };

export interface FillThreads {
  /** Worker threads besides the calling one. */
  readonly count: number;
  /** Frames the workers (not the calling thread) have done so far, over all stages. */
  readonly framesOnThreads: number;
  /** Runs `stage` on the window's frames in `span` (default all), on this thread and the workers that are ready; the results in the span's order. */
  run<S extends StageName>(window: FillWindow, transfer: FillWindowTransfer, stage: S, params: StageParamsOf<S>, span?: FrameSpan): Promise<StageOutput<S>[]>;
  /** Lets the workers drop a window's buffers (the window's fill is over). */
  release(transfer: FillWindowTransfer): void;
  /** Starts the workers now (they load their modules while other work goes on). */
  warm(): void;
  /** Starts the workers and resolves once every one has loaded and takes frames. */
  whenReady(): Promise<void>;
  dispose(): void;
}

/** Workers by default: one fewer than the cores (this thread works too), at most 7. */
export function defaultFillThreads(): number {
  return Math.max(0, Math.min(7, availableParallelism() - 1));
}

interface Lane {
  worker: Worker;
  ready: boolean;
  /** The window this worker holds (0: none). */
  window: number;
}

export function createFillThreads(count = defaultFillThreads()): FillThreads {
  const calls = new WorkerCalls<FillThreadReply>('a fill thread', () => {
    if (calls.waiting === 0) for (const l of lanes) l.worker.unref();
  });
  let lanes: Lane[] = [];
  const ids = new WeakMap<FillWindowTransfer, number>();
  let nextWindow = 1;
  let disposed = false;
  let framesOnThreads = 0;
  let hellos: Promise<unknown>[] = [];

  function start(): void {
    if (lanes.length || disposed) return;
    lanes = Array.from({ length: count }, () => {
      const worker = startModuleWorker(import.meta.url, 'fillThread');
      const lane: Lane = { worker, ready: false, window: 0 };
      calls.attach(worker, { isCurrent: () => lanes.includes(lane), onLost: () => (lanes = lanes.filter((l) => l !== lane)) });
      worker.ref();
      // Answered once the worker has loaded the stages; until then it takes no frames.
      const hello = calls.call(worker, { id: 0, kind: 'hello' }).then(() => (lane.ready = true));
      hellos.push(hello);
      hello.catch(() => undefined); // a worker that fails to start fails whenReady(); run() goes on without it
      return lane;
    });
  }

  return {
    count,
    get framesOnThreads() {
      return framesOnThreads;
    },
    warm: start,
    async whenReady() {
      start();
      await Promise.all(hellos);
    },
    async run(window, transfer, stage, params, span = allFrames(window.count)) {
      if (disposed) throw new Error('fill threads used after dispose()');
      start();
      let id = ids.get(transfer);
      if (id === undefined) ids.set(transfer, (id = nextWindow++));
      const counter = new Int32Array(new SharedArrayBuffer(4));
      const ready = lanes.filter((l) => l.ready);
      const replies = ready.map((lane) => {
        lane.worker.ref();
        if (lane.window !== id) {
          if (lane.window) lane.worker.postMessage({ id: 0, kind: 'release', window: lane.window } satisfies FillThreadRequest);
          lane.worker.postMessage({ id: 0, kind: 'window', window: id, transfer } satisfies FillThreadRequest);
          lane.window = id;
        }
        return calls.call(lane.worker, { id: 0, kind: 'stage', window: id, stage, params, span, counter });
      });
      // The counter hands out the span's frames by their place in it.
      const n = span.end - span.start;
      const results: StageOutput<typeof stage>[] = new Array(n);
      let failure: unknown = null;
      try {
        for (let k = Atomics.add(counter, 0, 1); k < n; k = Atomics.add(counter, 0, 1)) {
          results[k] = runStageAt(window, stage, span.start + k, params);
          // The event loop turns between this thread's frames: the encoders' pipes are fed from it,
          // and a window's stages held them for seconds (ffmpeg idled, then took a window's frames
          // in a burst while the fill waited). Meanwhile the workers take more of the frames.
          await yieldToEventLoop();
        }
      } catch (e) {
        // The workers stop taking frames; their replies are still awaited so none writes on afterwards.
        Atomics.store(counter, 0, n);
        failure = e;
      }
      for (const reply of await Promise.all(replies)) {
        if (reply.error !== undefined) failure ??= new Error(`the fill thread failed: ${reply.error}`);
        for (const [k, r] of reply.results ?? []) results[k] = r as StageOutput<typeof stage>;
        framesOnThreads += reply.results?.length ?? 0;
      }
      if (failure) throw failure;
      return results;
    },
    release(transfer) {
      const id = ids.get(transfer);
      if (id === undefined) return;
      for (const lane of lanes) {
        if (lane.window !== id) continue;
        lane.worker.postMessage({ id: 0, kind: 'release', window: id } satisfies FillThreadRequest);
        lane.window = 0;
      }
    },
    dispose() {
      disposed = true;
      const gone = lanes;
      lanes = [];
      hellos = [];
      for (const l of gone) void l.worker.terminate();
    },
  };
}

// The detector on two cores, where it runs on tfjs (onnxruntime uses them by itself). tfjs runs its WebAssembly backend on one thread under Node
// (tfRuntime.ts), so one detector leaves a second core idle while Lite's first pass examines
// frame after frame. This one has two lanes: the engine's own detector on the calling thread, and
// the same model in a worker thread (detectorThread.ts); each frame goes to a free lane. Frames are
// independent and the model is the same, so the detections are the same as one lane's, whichever
// lane a frame took. detectClip keeps `parallel` frames in flight to use both.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { Detection, RgbImage } from '../types';
import { startModuleWorker } from '../../util/moduleWorker';
import { WorkerCalls } from '../../util/workerCalls';
import { createDetector, usesOnnxRuntime, type Detector, type DetectorOptions } from './createDetector';

export interface DetectRequest {
  readonly id: number;
  readonly width: number;
  readonly height: number;
  /** The frame's RGB bytes (a copy, moved to the thread). */
  readonly data: Uint8Array;
  readonly frameIndex: number;
}

export type DetectReply = { id: number; error: string; detections?: undefined } | { id: number; error?: undefined; detections: Detection[] };

/**
 * Frames the worker's lane holds at once: the one it detects and the next, waiting in its port,
 * so it goes on the moment it finishes. With one, it finished while the calling thread was inside
 * its own detection (its event loop held for ~200 ms) and idled until that ended: the detector's
 * thread was busy 70-85 % of the first pass on the 96-frame 1080p clip.
 */
const THREAD_FRAMES = 2;

/** A detector that takes up to `parallel` frames at once (detectClip reads it). */
export interface ParallelDetector extends Detector {
  readonly parallel: number;
  /** Frames the worker thread's lane has detected so far. */
  readonly framesOnThread: number;
}

/** Lanes by default: two where the machine has two cores or more (the first pass has nothing else to run meanwhile). */
export function defaultDetectorLanes(): number {
  return Math.min(2, availableParallelism());
}

/**
 * A detector with `lanes` lanes (1 or 2). The thread starts with the first load() or detect() and
 * loads the model while the calling thread loads its own; it is unreferenced while idle, so it never
 * keeps a finished process alive, and dispose() ends it.
 */
export function createSharedDetector(options: DetectorOptions = {}, lanes = defaultDetectorLanes()): ParallelDetector {
  const own = createDetector(options);
  // On onnxruntime the model runs on onnxruntime's own thread with its cores (onnxDetectorRunner.ts):
  // two frames in flight keep that thread busy while this one prepares the next.
  if (usesOnnxRuntime(options)) return Object.assign(own, { parallel: 2, framesOnThread: 0 });
  if (lanes < 2) return Object.assign(own, { parallel: 1, framesOnThread: 0 });
  // The worker gets the options it can take over a thread boundary (not the log callback).
  const { log: _log, ...threadOptions } = options;
  const calls = new WorkerCalls<DetectReply>('the detector thread', () => {
    if (calls.waiting === 0) worker?.unref();
  });
  let worker: Worker | undefined;
  let ownBusy = 0;
  let threadBusy = 0;
  let framesOnThread = 0;
  let disposed = false;
  const thread = (): Worker => {
    if (worker) return worker;
    const w = startModuleWorker(import.meta.url, 'detectorThread', threadOptions);
    calls.attach(w, { isCurrent: () => worker === w, onLost: () => (worker = undefined) });
    w.unref();
    worker = w;
    return w;
  };
  return {
    parallel: THREAD_FRAMES + 1,
    get framesOnThread() {
      return framesOnThread;
    },
    async detect(frame: RgbImage, frameIndex: number): Promise<Detection[]> {
      if (disposed) throw new Error('detector used after dispose()');
      thread(); // loading its model while this thread detects the first frames
      // The worker's lane whenever it holds fewer than THREAD_FRAMES, else the calling thread's.
      // Not the other way round: the calling thread's detection holds its event loop while it
      // runs, so that lane is always free again by the time the next frame is handed out, and
      // "own lane first" would leave the worker idle after its frames.
      if (threadBusy >= THREAD_FRAMES && ownBusy === 0) {
        ownBusy++;
        try {
          return await own.detect(frame, frameIndex);
        } finally {
          ownBusy--;
        }
      }
      const w = thread();
      w.ref();
      const data = Uint8Array.from(frame.data);
      const request: DetectRequest = { id: 0, width: frame.width, height: frame.height, data, frameIndex };
      threadBusy++;
      const reply = await calls.call(w, request, [data.buffer as ArrayBuffer]).finally(() => threadBusy--);
      if (reply.error !== undefined) throw new Error(`object detection on frame ${frameIndex}: ${reply.error}`);
      framesOnThread++;
      return reply.detections;
    },
    async load() {
      thread();
      return own.load();
    },
    info: () => own.info(),
    dispose() {
      disposed = true;
      own.dispose();
      const w = worker;
      worker = undefined;
      void w?.terminate();
    },
  };
}

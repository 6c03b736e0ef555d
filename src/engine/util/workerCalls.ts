// Request/reply calls to a worker thread: each message carries an id, the worker answers with the
// same id, and the caller gets a promise per call. Shared by the engine's long-lived workers (the
// onnxruntime thread, the compositor) so each only says what its messages hold. If the worker
// dies, every call still waiting fails with the reason instead of hanging the job.
import type { Worker } from 'node:worker_threads';

export interface WorkerReply {
  readonly id: number;
  /** Set on a progress message: the call is still under way, and this goes to its `onUpdate`. */
  readonly update?: unknown;
}

export class WorkerCalls<Reply extends WorkerReply> {
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; onUpdate?: (update: NonNullable<Reply['update']>) => void }>();
  private nextId = 1;

  /**
   * @param what names the thread in the error when it stops ("the onnxruntime thread").
   * @param onSettled runs after each reply (e.g. to unref an idle worker).
   */
  constructor(
    private readonly what: string,
    private readonly onSettled?: () => void,
  ) {}

  /** Calls still waiting for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Routes the worker's replies and its exit to the waiting calls. `isCurrent`: whether `worker` is
   * still the one calls go to (a worker ended on purpose and since replaced must not fail the new
   * one's calls); `onLost` runs before the waiting calls fail.
   */
  attach(worker: Worker, hooks: { isCurrent?: () => boolean; onLost?: () => void } = {}): void {
    worker.on('message', (reply: Reply) => {
      if (reply.update !== undefined) {
        this.pending.get(reply.id)?.onUpdate?.(reply.update as NonNullable<Reply['update']>);
        return;
      }
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      this.onSettled?.();
      waiter?.resolve(reply);
    });
    const lost = (why: string) => {
      if (hooks.isCurrent && !hooks.isCurrent()) return;
      hooks.onLost?.();
      this.failAll(`${this.what} stopped: ${why}`);
    };
    worker.on('error', (e) => lost(e.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
  }

  /** The id the next call gets (to address it while it runs, e.g. to cancel it). */
  get nextCallId(): number {
    return this.nextId;
  }

  /**
   * Posts `message` with a fresh id (its own `id` field is replaced) and waits for the reply;
   * progress messages for the call (with `update`) go to `onUpdate` meanwhile.
   */
  call<M extends { id: number }>(worker: Worker, message: M, transfer: readonly ArrayBuffer[] = [], onUpdate?: (update: NonNullable<Reply['update']>) => void): Promise<Reply> {
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onUpdate });
      try {
        worker.postMessage({ ...message, id }, transfer as ArrayBuffer[]);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Fails every waiting call with `message`. */
  failAll(message: string): void {
    const waiters = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiters) w.reject(new Error(message));
  }
}

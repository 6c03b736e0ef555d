// Lets the event loop turn once: messages, I/O and timers that are waiting run before the caller
// goes on. Long stretches of synchronous per-pixel work on the thread that drives the sampler are
// cut with it (per frame), so a model run's reply is picked up within one frame's work instead of
// after a whole window's; a plain `await` would not do, since it only runs queued microtasks.
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

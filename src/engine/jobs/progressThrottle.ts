/**
 * Limits how often one job's progress is published (to about ten times a second): a fast
 * encoder reports hundreds of frames a second, and each report crossing into the UI costs a
 * render. The latest report always gets through, a little late, so the bar never sticks at a
 * stale value; a state change supersedes pending progress (it carries the same fields).
 */
export class ProgressThrottle<T> {
  readonly #last = new Map<string, number>();
  readonly #pending = new Map<string, { value: T; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly send: (value: T) => void,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(key: string, value: T): void {
    const pending = this.#pending.get(key);
    if (pending) {
      pending.value = value;
      return;
    }
    const wait = (this.#last.get(key) ?? -Infinity) + this.intervalMs - this.now();
    if (wait <= 0) {
      this.#last.set(key, this.now());
      this.send(value);
      return;
    }
    const timer = setTimeout(() => {
      const p = this.#pending.get(key);
      this.#pending.delete(key);
      if (!p) return;
      this.#last.set(key, this.now());
      this.send(p.value);
    }, wait);
    this.#pending.set(key, { value, timer });
  }

  /** Drops any pending report for `key` (its state event carries the same information). */
  drop(key: string): void {
    const p = this.#pending.get(key);
    if (p) clearTimeout(p.timer);
    this.#pending.delete(key);
  }

  dispose(): void {
    for (const key of [...this.#pending.keys()]) this.drop(key);
    this.#last.clear();
  }
}

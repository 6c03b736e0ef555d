/**
 * Memory for the fill's outputs (each target frame's filled picture and what changed in it), lent
 * and handed back once the encoder has written them. Outputs are SharedArrayBuffers, so a fill
 * thread writes them where the caller reads them; but each new SharedArrayBuffer is fresh pages
 * from the kernel (a fault and a zeroed page per 4 KiB, none of which malloc recycles): about
 * 140 000 faults on the 96-frame 1080p clip, for buffers that live a few seconds. Lent again,
 * the same pages serve frame after frame.
 *
 * A buffer never handed back is only garbage, as before; one handed back twice, or one this pool
 * did not lend, is ignored, so a release in the wrong place cannot hand one buffer to two frames.
 */
export class OutputBuffers {
  /** Free buffers by size in bytes. */
  readonly #free = new Map<number, SharedArrayBuffer[]>();
  /** Lent and not yet handed back (weakly: a buffer dropped by its holder is just collected). */
  readonly #lent = new WeakSet<SharedArrayBuffer>();
  /** Most free buffers kept per size: two windows' outputs in flight, with room to spare. */
  static readonly KEPT = 128;

  /** A buffer of `bytes` bytes, whole; its old contents, when it is lent again, are the last frame's. */
  take(bytes: number): Uint8Array {
    const buffer = this.#free.get(bytes)?.pop() ?? new SharedArrayBuffer(bytes);
    this.#lent.add(buffer);
    return new Uint8Array(buffer);
  }

  /** Hands back a buffer take() lent, once nothing reads it any more; anything else is ignored. */
  give(view: Uint8Array): void {
    const buffer = view.buffer;
    if (!(buffer instanceof SharedArrayBuffer) || !this.#lent.has(buffer)) return;
    this.#lent.delete(buffer);
    let free = this.#free.get(buffer.byteLength);
    if (!free) this.#free.set(buffer.byteLength, (free = []));
    if (free.length < OutputBuffers.KEPT) free.push(buffer);
  }

  /** Free buffers held, over all sizes. */
  get freeCount(): number {
    let n = 0;
    for (const list of this.#free.values()) n += list.length;
    return n;
  }

  /** Drops the free buffers (the render is over). */
  clear(): void {
    this.#free.clear();
  }
}

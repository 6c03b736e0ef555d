import type { GrayImage, RgbImage } from '../types';
import type { ClipAlignment } from './alignment';

/**
 * A window's fill state, laid out so that several threads can work on it at once: the frames, the
 * masks and every per-frame buffer the fill's stages write (fillStages.ts), each kind in one
 * buffer that is a SharedArrayBuffer when threads share it. A stage writes only its own frame's
 * part of its outputs and reads what earlier stages finished for every frame, so which thread did
 * a frame never changes a byte of the result.
 */
export interface FillWindow {
  readonly width: number;
  readonly height: number;
  readonly count: number;
  readonly frames: RgbImage[];
  /** The holes as given (non-zero = remove). */
  readonly masks: GrayImage[];
  /** The camera motion (pairs: on the thread that measured it only). */
  readonly alignment: ClipAlignment;
  /** 1 where the fill may not copy from: other objects, then also what moves against the camera. */
  readonly exclude: Uint8Array[];
  /** Scratch exclusions: edge growth's (hole grown by the most growth), later the seam's. */
  readonly scratch: Uint8Array[];
  /** The holes grown over soft edges (0/255, or the masks' own values when nothing grows). */
  readonly holes: Uint8Array[];
  /** exclude ∪ the relit shadow: not background. */
  readonly notBackground: Uint8Array[];
  /** holes ∪ notBackground: what propagation never samples. */
  readonly strict: Uint8Array[];
  /** The frames with their holes filled from other frames (RGB). */
  readonly filled: Uint8Array[];
  /** 1 where no frame showed the background (left to invent). */
  readonly remaining: Uint8Array[];
  /** With shadows: each frame's shadow mask (1) and the frame relit there (RGB). */
  readonly shadowMask: Uint8Array[] | null;
  readonly relit: Uint8Array[] | null;
  /**
   * With a small size (openFillWindow): the frames shrunk to it (RGB; the masks' background
   * evidence and the camera motion are measured there; null when it is the frames' own size) and,
   * at that size, the pixels that may not vote as background in the evidence (1). Null otherwise.
   */
  readonly small: RgbImage[] | null;
  readonly evidenceMask: Uint8Array[] | null;
  /**
   * The exposure gains propagation measured, per pair of frames (filled by the propagate stage
   * for its frame's row), which the seam then takes for the same pairs (windowGains.ts).
   */
  readonly gains: WindowGains;
}

/** Per (t, s) at t * count + s: 0 not measured, 1 measured as none (within 1%), 2 measured (values at 3 * (t * count + s)). */
export interface WindowGains {
  state: Uint8Array;
  values: Float64Array;
}

/** What crosses to a thread: the buffers and the alignment as a table (a function cannot). */
export interface FillWindowTransfer {
  width: number;
  height: number;
  count: number;
  buffers: Record<BufferName, ArrayBufferLike | null>;
  /** between(from, to) for every pair: 9 numbers at (from * count + to) * 9. */
  homographies: Float64Array;
  segment: Int32Array;
  /** WindowGains' tables. */
  gainState: Uint8Array;
  gainValues: Float64Array;
  /** The small copies' size (0 x 0: none). */
  smallWidth: number;
  smallHeight: number;
  /** Size, frame count and kind of the buffers (which pooled buffers fit). */
  shape: string;
}

type BufferName = 'frames' | 'masks' | 'exclude' | 'scratch' | 'holes' | 'notBackground' | 'strict' | 'filled' | 'remaining' | 'shadowMask' | 'relit' | 'small' | 'evidenceMask';

/** Channels per pixel of each buffer (RGB ones 3). */
const CHANNELS: Record<BufferName, number> = {
  frames: 3,
  masks: 1,
  exclude: 1,
  scratch: 1,
  holes: 1,
  notBackground: 1,
  strict: 1,
  filled: 3,
  remaining: 1,
  shadowMask: 1,
  relit: 3,
  small: 3,
  evidenceMask: 1,
};

/**
 * Pooled buffers a window takes again without zeroing them (on 1080p, a window's zeroing was a
 * third of a second, most of it first-touch page faults on pages the last window never wrote):
 * - frames: copied in by openFillWindow; masks, exclude: overwritten by setWindowMasks;
 * - small: the shrink stage writes every frame's before anything reads it;
 * - holes: the grow stage writes every pixel of every frame before any stage reads them;
 * - strict, notBackground: the sampling stage writes every pixel of every frame before any stage
 *   reads them;
 * - filled: only the targets' are read, and propagation writes each target's whole frame first;
 * - remaining: all zero again when a window ends (the only way its buffers return to the pool):
 *   every pixel propagation sets is cleared by the invention loop, which runs until none is left.
 */
const NOT_ZEROED_AGAIN: ReadonlySet<BufferName> = new Set(['frames', 'masks', 'exclude', 'small', 'strict', 'notBackground', 'filled', 'remaining', 'holes']);

/** Buffers at the small copies' size, not the frames'. */
const AT_SMALL_SIZE: ReadonlySet<BufferName> = new Set(['small', 'evidenceMask']);

/**
 * The fill state of `frames` with their `masks`: the frames and masks copied in, `exclude` set from
 * the caller's exclusions (1 where non-zero), the rest zeroed. `shared`: in SharedArrayBuffers, for
 * fillThreads.ts.
 */
export function createFillWindow(
  frames: RgbImage[],
  masks: GrayImage[],
  alignment: ClipAlignment,
  options: FillWindowOptions & { exclude?: (Uint8Array | null)[] },
): { window: FillWindow; transfer: FillWindowTransfer } {
  const opened = openFillWindow(frames, options);
  setWindowAlignment(opened, alignment);
  setWindowMasks(opened.window, masks, options.exclude);
  return opened;
}

export interface FillWindowOptions {
  withShadow?: boolean;
  shared?: boolean;
  pool?: FillWindowPool;
  /** Also hold the frames shrunk to this size (and an evidence mask at it), for the masks' work. */
  small?: { width: number; height: number };
}

/**
 * A window holding `frames` (copied in) and zeroed buffers, before its masks and camera motion are
 * known: the masks' per-frame work (shrinking, background evidence) can then run on the threads
 * that later fill it. setWindowAlignment and setWindowMasks complete it.
 */
export function openFillWindow(frames: RgbImage[], options: FillWindowOptions): { window: FillWindow; transfer: FillWindowTransfer } {
  const { width, height } = frames[0];
  const count = frames.length;
  const plane = width * height;
  const small = options.small ?? { width: 0, height: 0 };
  const smallPlane = small.width * small.height;
  // At the frames' own size the frames serve as their small copies.
  const shrunk = smallPlane > 0 && smallPlane !== plane;
  const shape = `${width}x${height}x${count}${options.withShadow ? '+shadow' : ''}${smallPlane ? `+${small.width}x${small.height}` : ''}${options.shared ? ' shared' : ''}`;
  const wanted = (name: BufferName) => (name === 'shadowMask' || name === 'relit' ? Boolean(options.withShadow) : name === 'small' ? shrunk : name === 'evidenceMask' ? smallPlane > 0 : true);
  let buffers = options.pool?.take(shape) ?? null;
  if (buffers) {
    // Every buffer starts zeroed, as a new one would, but those whose old bytes no stage reads.
    for (const name of Object.keys(CHANNELS) as BufferName[]) {
      const buffer = buffers[name];
      if (buffer && !NOT_ZEROED_AGAIN.has(name)) new Uint8Array(buffer).fill(0);
    }
  } else {
    buffers = {} as Record<BufferName, ArrayBufferLike | null>;
    for (const name of Object.keys(CHANNELS) as BufferName[]) {
      const bytes = count * (AT_SMALL_SIZE.has(name) ? smallPlane : plane) * CHANNELS[name];
      buffers[name] = !wanted(name) ? null : options.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    }
  }
  const table = (bytes: number) => (options.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const homographies = new Float64Array(table(count * count * 9 * 8));
  const segment = new Int32Array(table(count * 4));
  const gainState = new Uint8Array(table(count * count));
  const gainValues = new Float64Array(table(count * count * 3 * 8));
  const transfer: FillWindowTransfer = { width, height, count, buffers, homographies, segment, gainState, gainValues, smallWidth: small.width, smallHeight: small.height, shape };
  const window = fillWindowOf(transfer);
  for (let t = 0; t < count; t++) window.frames[t].data.set(frames[t].data);
  return { window, transfer };
}

/** The motion each window's table holds. */
const written = new WeakMap<FillWindowTransfer, ClipAlignment>();

/** Writes the window's camera motion where every thread reads it (before any stage that aligns). */
export function setWindowAlignment(opened: { window: FillWindow; transfer: FillWindowTransfer }, alignment: ClipAlignment): void {
  if (written.get(opened.transfer) === alignment) return; // the masks' work wrote it already
  written.set(opened.transfer, alignment);
  const { homographies, segment, count: n } = opened.transfer;
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) homographies.set(alignment.between(a, b), (a * n + b) * 9);
  segment.set(alignment.segment);
  opened.window.alignment.pairs = alignment.pairs;
}

/** Copies the holes in and sets `exclude` from the caller's exclusions (1 where non-zero). */
export function setWindowMasks(window: FillWindow, masks: GrayImage[], exclude?: (Uint8Array | null)[]): void {
  const plane = window.width * window.height;
  for (let t = 0; t < window.count; t++) {
    // Masks the threads painted are the window's own already (trackMasksOnThreads).
    if (masks[t].data !== window.masks[t].data) window.masks[t].data.set(masks[t].data);
    const e = exclude?.[t];
    const out = window.exclude[t];
    if (e === out) continue; // painted into the window's own buffer (1s) already
    if (!e) {
      out.fill(0);
      continue;
    }
    for (let i = 0; i < plane; i++) out[i] = e[i] ? 1 : 0;
  }
}

/** The fill state over a transfer's buffers (the same memory, in any thread). */
export function fillWindowOf(transfer: FillWindowTransfer): FillWindow {
  const { width, height, count, buffers, homographies, segment, gainState, gainValues, smallWidth, smallHeight } = transfer;
  const views = (name: BufferName): Uint8Array[] => {
    const buffer = buffers[name];
    if (!buffer) return [];
    const size = (AT_SMALL_SIZE.has(name) ? smallWidth * smallHeight : width * height) * CHANNELS[name];
    return Array.from({ length: count }, (_, t) => new Uint8Array(buffer, t * size, size));
  };
  const frames = views('frames').map((data) => ({ width, height, data }));
  const masks = views('masks').map((data) => ({ width, height, data }));
  // The table is read at each call, so motion written after the window was opened is seen here too.
  const alignment: ClipAlignment = {
    between: (from, to) => homographies.slice((from * count + to) * 9, (from * count + to + 1) * 9),
    segment,
    pairs: [],
  };
  return {
    width,
    height,
    count,
    frames,
    masks,
    alignment,
    exclude: views('exclude'),
    scratch: views('scratch'),
    holes: views('holes'),
    notBackground: views('notBackground'),
    strict: views('strict'),
    filled: views('filled'),
    remaining: views('remaining'),
    shadowMask: buffers.shadowMask ? views('shadowMask') : null,
    relit: buffers.relit ? views('relit') : null,
    small: buffers.small ? views('small').map((data) => ({ width: smallWidth, height: smallHeight, data })) : null,
    evidenceMask: buffers.evidenceMask ? views('evidenceMask') : null,
    gains: { state: gainState, values: gainValues },
  };
}

/** Frame t's grown hole as an image. */
export function holeOf(window: FillWindow, t: number): GrayImage {
  return { width: window.width, height: window.height, data: window.holes[t] };
}

/**
 * Buffers kept from one window for the next of the same shape. A removal's windows are alike, and
 * a 48-frame 1080p window's buffers are over 1 GB: allocated anew, zeroing and faulting them in
 * cost about 2 s a window (measured), reused and zeroed about a tenth of that. One window's worth
 * at most; the owner clears it when its windows are done, so nothing stays held after a removal.
 */
export interface FillWindowPool {
  /** Buffers of `shape` given back earlier (and no longer in use), or null. */
  take(shape: string): Record<BufferName, ArrayBufferLike | null> | null;
  /** Gives a finished window's buffers back: nothing may read or write them after this. */
  give(transfer: FillWindowTransfer): void;
  clear(): void;
}

export function createFillWindowPool(): FillWindowPool {
  let spare: { shape: string; buffers: Record<BufferName, ArrayBufferLike | null> } | null = null;
  return {
    take(shape) {
      if (!spare || spare.shape !== shape) return null;
      const { buffers } = spare;
      spare = null;
      return buffers;
    },
    give(transfer) {
      spare = { shape: transfer.shape, buffers: transfer.buffers };
    },
    clear() {
      spare = null;
    },
  };
}

/**
 * Undo and redo as two stacks of whole states. The states are immutable documents with
 * structural sharing (edit.ts), so a snapshot costs only what the edit changed, and undo can
 * never disagree with redo the way hand-written inverse operations can.
 *
 * A new edit clears the redo stack: after undoing A and doing B, "redo A" would apply A on top
 * of a state it was never made for.
 */
export interface HistoryEntry<S> {
  /** What the step did, for menus: "Add Take", "Trim Clip". */
  label: string;
  state: S;
}

export interface HistoryState {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
}

export class History<S> {
  readonly #undo: HistoryEntry<S>[] = [];
  #redo: HistoryEntry<S>[] = [];

  /** `limit` bounds memory in a long session; the oldest steps are dropped first. */
  constructor(readonly limit = 1000) {
    if (!(limit >= 1)) throw new RangeError(`history limit must be at least 1, got ${limit}`);
  }

  /** Records an edit labelled `label` that left `before` behind. */
  record(label: string, before: S): void {
    this.#undo.push({ label, state: before });
    if (this.#undo.length > this.limit) this.#undo.splice(0, this.#undo.length - this.limit);
    this.#redo = [];
  }

  /** Steps back from `current`; returns the state to restore, or null when there is none. */
  undo(current: S): HistoryEntry<S> | null {
    const entry = this.#undo.pop();
    if (!entry) return null;
    this.#redo.push({ label: entry.label, state: current });
    return entry;
  }

  /** Steps forward from `current`; returns the state to restore, or null when there is none. */
  redo(current: S): HistoryEntry<S> | null {
    const entry = this.#redo.pop();
    if (!entry) return null;
    this.#undo.push({ label: entry.label, state: current });
    return entry;
  }

  clear(): void {
    this.#undo.length = 0;
    this.#redo = [];
  }

  get state(): HistoryState {
    const u = this.#undo[this.#undo.length - 1];
    const r = this.#redo[this.#redo.length - 1];
    return { canUndo: !!u, canRedo: !!r, undoLabel: u?.label ?? null, redoLabel: r?.label ?? null };
  }
}

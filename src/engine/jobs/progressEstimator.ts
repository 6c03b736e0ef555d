/**
 * Turns a job's raw progress reports (stage, done, total) into what the user reads: a fraction
 * and seconds left. The rate is the ratio of two exponentially weighted sums, of the seconds and
 * of the units each span took, over spans of at least MIN_SPAN_MS: one slow frame (a keyframe, a
 * cache miss) nudges the ETA instead of making it jump, and a stage whose units come in bursts
 * (a windowed fill hands on a window's frames at once, then works on the next one for a while)
 * reads as its true average, where averaging each span's own seconds-per-unit swung from a burst's
 * "4 s left" to a pause's "5 min left". A new stage measures afresh: decoding and denoising run at
 * unrelated speeds.
 */

/** Shorter spans are timer noise, not a rate. */
const MIN_SPAN_MS = 200;
/** Weight of the newest span: about the last five spans dominate. */
const SMOOTHING = 0.3;

export interface ProgressEstimate {
  stage: string;
  /** done/total, clamped to 0..1; null while total is unknown (0). */
  fraction: number | null;
  /** null until a rate has been measured. */
  etaSeconds: number | null;
}

export class ProgressEstimator {
  #stage: string | null = null;
  #anchorDone = 0;
  #anchorMs = 0;
  /** Smoothed seconds and units per span (0 units: no rate yet). */
  #seconds = 0;
  #units = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  update(stage: string, done: number, total: number): ProgressEstimate {
    const t = this.now();
    if (stage !== this.#stage || done < this.#anchorDone) {
      this.#stage = stage;
      this.#anchorDone = done;
      this.#anchorMs = t;
      this.#seconds = 0;
      this.#units = 0;
    } else if (t - this.#anchorMs >= MIN_SPAN_MS && done > this.#anchorDone) {
      const seconds = (t - this.#anchorMs) / 1000;
      const units = done - this.#anchorDone;
      const first = this.#units === 0;
      this.#seconds = first ? seconds : SMOOTHING * seconds + (1 - SMOOTHING) * this.#seconds;
      this.#units = first ? units : SMOOTHING * units + (1 - SMOOTHING) * this.#units;
      this.#anchorDone = done;
      this.#anchorMs = t;
    }
    const known = Number.isFinite(total) && total > 0;
    const fraction = known ? Math.min(1, Math.max(0, done / total)) : null;
    const etaSeconds = known && this.#units > 0 ? Math.max(0, ((total - done) * this.#seconds) / this.#units) : null;
    return { stage, fraction, etaSeconds };
  }
}

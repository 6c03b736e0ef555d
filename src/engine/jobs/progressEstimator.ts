/**
 * Turns a job's raw progress reports (stage, done, total) into what the user reads: a fraction
 * and seconds left. The rate is an exponentially weighted average of seconds per unit, measured
 * over spans of at least MIN_SPAN_MS, so one slow frame (a keyframe, a cache miss) nudges the
 * ETA instead of making it jump. A new stage measures afresh: decoding and denoising run at
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
  #secondsPerUnit: number | null = null;

  constructor(private readonly now: () => number = () => performance.now()) {}

  update(stage: string, done: number, total: number): ProgressEstimate {
    const t = this.now();
    if (stage !== this.#stage || done < this.#anchorDone) {
      this.#stage = stage;
      this.#anchorDone = done;
      this.#anchorMs = t;
      this.#secondsPerUnit = null;
    } else if (t - this.#anchorMs >= MIN_SPAN_MS && done > this.#anchorDone) {
      const sample = (t - this.#anchorMs) / 1000 / (done - this.#anchorDone);
      this.#secondsPerUnit = this.#secondsPerUnit === null ? sample : SMOOTHING * sample + (1 - SMOOTHING) * this.#secondsPerUnit;
      this.#anchorDone = done;
      this.#anchorMs = t;
    }
    const known = Number.isFinite(total) && total > 0;
    const fraction = known ? Math.min(1, Math.max(0, done / total)) : null;
    const etaSeconds = known && this.#secondsPerUnit !== null ? Math.max(0, (total - done) * this.#secondsPerUnit) : null;
    return { stage, fraction, etaSeconds };
  }
}

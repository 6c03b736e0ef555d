import { ProgressEstimator } from '../engine/jobs/progressEstimator';
import type { ProgressEvent } from './reporter';

/**
 * Turns bare (done, total) callbacks into progress events with an ETA, estimated the same way
 * the app's job queue estimates it (engine/jobs/progressEstimator.ts).
 */
export function progressTracker(stage: string, emit: (e: ProgressEvent) => void, estimator = new ProgressEstimator()) {
  return (done: number, total: number): void => {
    const { etaSeconds } = estimator.update(stage, done, total);
    emit({ stage, done, total, ...(etaSeconds !== null && { etaSeconds }) });
  };
}

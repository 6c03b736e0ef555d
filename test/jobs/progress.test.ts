import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressEstimator } from '../../src/engine/jobs';
import { ProgressThrottle } from '../../src/engine/jobs/progressThrottle';

describe('ProgressEstimator', () => {
  let t: number;
  const est = () => new ProgressEstimator(() => t);
  beforeEach(() => (t = 0));

  it('gives the fraction at once and an ETA once a rate has been measured', () => {
    const e = est();
    expect(e.update('encoding', 0, 100)).toEqual({ stage: 'encoding', fraction: 0, etaSeconds: null });
    t = 100;
    // 100 ms is too short a span to trust.
    expect(e.update('encoding', 10, 100)).toEqual({ stage: 'encoding', fraction: 0.1, etaSeconds: null });
    t = 250;
    // 25 frames in 250 ms: 10 ms a frame, 75 left.
    expect(e.update('encoding', 25, 100).etaSeconds).toBeCloseTo(0.75, 10);
  });

  it('smooths the rate so one slow span nudges the ETA instead of making it jump', () => {
    const e = est();
    e.update('encoding', 0, 1000);
    t = 1000;
    expect(e.update('encoding', 100, 1000).etaSeconds).toBeCloseTo(9, 10); // 10 ms/frame
    t = 2000;
    // This span ran at 100 ms/frame over 10 frames: smoothed seconds 1.0, frames 0.3·10 + 0.7·100 = 73.
    expect(e.update('encoding', 110, 1000).etaSeconds).toBeCloseTo((890 * 1.0) / 73, 10);
  });

  it('reads units that come in bursts at their average rate, not at each span\'s', () => {
    const e = est();
    e.update('filling', 0, 96);
    // A window's 24 frames handed on within 0.5 s, then 10 s on the next window, and so on: 0.42 s a frame.
    let done = 0;
    const etas: number[] = [];
    for (let window = 0; window < 3; window++) {
      t += 500;
      done += 23;
      etas.push(e.update('filling', done, 96).etaSeconds!);
      t += 10_000;
      done += 1;
      etas.push(e.update('filling', done, 96).etaSeconds!);
    }
    // Per-span rates would swing between 0.02 s and 10 s a frame (an ETA from about 1 s to 10 min).
    for (const eta of etas.slice(1)) expect(eta).toBeLessThan(((96 - 24) * 10.5) / 24 * 1.6);
    expect(etas[etas.length - 1]).toBeGreaterThan(0);
  });

  it('measures afresh in a new stage, and says nothing about an unknown total', () => {
    const e = est();
    e.update('decoding', 0, 10);
    t = 1000;
    expect(e.update('decoding', 5, 10).etaSeconds).toBeCloseTo(1, 10);
    expect(e.update('denoising window', 0, 4)).toEqual({ stage: 'denoising window', fraction: 0, etaSeconds: null });
    expect(e.update('denoising window', 1, 0)).toEqual({ stage: 'denoising window', fraction: null, etaSeconds: null });
    expect(e.update('denoising window', 9, 4).fraction).toBe(1);
  });
});

describe('ProgressThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends at most one value per interval per key, always ending with the latest', () => {
    const sent: string[] = [];
    const th = new ProgressThrottle<string>((v) => sent.push(v), 100, () => Date.now());
    th.push('a', 'a1');
    th.push('a', 'a2');
    th.push('a', 'a3');
    th.push('b', 'b1');
    expect(sent).toEqual(['a1', 'b1']);
    vi.advanceTimersByTime(99);
    expect(sent).toEqual(['a1', 'b1']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['a1', 'b1', 'a3']);
    th.push('a', 'a4');
    th.drop('a');
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(['a1', 'b1', 'a3']);
    th.push('a', 'a5');
    expect(sent).toEqual(['a1', 'b1', 'a3', 'a5']);
  });
});

import { describe, expect, it } from 'vitest';
import { BoxMotion } from '../../../src/engine/lite/track/boxMotion';

describe('BoxMotion', () => {
  it('predicts the last box until it has a velocity', () => {
    const m = new BoxMotion({ x: 10, y: 20, width: 30, height: 40 }, 3);
    expect(m.predict(3)).toEqual({ x: 10, y: 20, width: 30, height: 40 });
    expect(m.predict(9)).toEqual({ x: 10, y: 20, width: 30, height: 40 });
  });

  it('extrapolates constant velocity over gaps once it has seen two boxes', () => {
    const m = new BoxMotion({ x: 0, y: 0, width: 20, height: 20 }, 0);
    m.update({ x: 6, y: -3, width: 20, height: 20 }, 2); // 3 px/frame right, 1.5 up
    expect(m.predict(6)).toEqual({ x: 18, y: -9, width: 20, height: 20 });
    m.update({ x: 18, y: -9, width: 20, height: 20 }, 6); // exactly as predicted: nothing changes
    expect(m.predict(10)).toEqual({ x: 30, y: -15, width: 20, height: 20 });
    expect(m.lastFrame).toBe(6);
  });

  it('moves only part way towards a surprising measurement', () => {
    const m = new BoxMotion({ x: 0, y: 0, width: 10, height: 10 }, 0);
    m.update({ x: 0, y: 0, width: 10, height: 10 }, 1);
    m.update({ x: 20, y: 0, width: 10, height: 10 }, 2);
    const p = m.predict(2);
    expect(p.x).toBeGreaterThan(0);
    expect(p.x).toBeLessThan(20);
  });

  it('never predicts a box of zero or negative size', () => {
    const m = new BoxMotion({ x: 0, y: 0, width: 10, height: 10 }, 0);
    m.update({ x: 0, y: 0, width: 4, height: 4 }, 1); // shrinking 6 px/frame
    const p = m.predict(20);
    expect(p.width).toBeGreaterThanOrEqual(1);
    expect(p.height).toBeGreaterThanOrEqual(1);
  });

  it('refuses to go back in time', () => {
    const m = new BoxMotion({ x: 0, y: 0, width: 10, height: 10 }, 5);
    expect(() => m.update({ x: 0, y: 0, width: 10, height: 10 }, 5)).toThrow(/not after/);
  });
});

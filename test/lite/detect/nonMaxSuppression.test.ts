import { describe, expect, it } from 'vitest';
import { nonMaxSuppression } from '../../../src/engine/lite/detect/nonMaxSuppression';
import type { Detection } from '../../../src/engine/lite/types';

const det = (label: string, score: number, x: number, y = 0, size = 10): Detection => ({
  frame: 0, label, score, box: { x, y, width: size, height: size },
});

describe('nonMaxSuppression', () => {
  it('keeps the best of overlapping same-class boxes, best first', () => {
    const kept = nonMaxSuppression([det('bird', 0.5, 1), det('bird', 0.9, 0), det('bird', 0.7, 50)], 0.5, 10);
    expect(kept.map((d) => d.score)).toEqual([0.9, 0.7]);
  });

  it('never suppresses across classes', () => {
    const kept = nonMaxSuppression([det('bird', 0.9, 0), det('person', 0.6, 0)], 0.5, 10);
    expect(kept.map((d) => d.label)).toEqual(['bird', 'person']);
  });

  it('keeps boxes overlapping at or below the threshold', () => {
    // Two 10x10 boxes offset by 5: IoU = 50 / 150 = 1/3.
    expect(nonMaxSuppression([det('dog', 0.9, 0), det('dog', 0.8, 5)], 0.34, 10)).toHaveLength(2);
    expect(nonMaxSuppression([det('dog', 0.9, 0), det('dog', 0.8, 5)], 0.3, 10)).toHaveLength(1);
  });

  it('caps the count', () => {
    const many = Array.from({ length: 20 }, (_, i) => det('cup', i / 20, i * 20));
    const kept = nonMaxSuppression(many, 0.5, 5);
    expect(kept).toHaveLength(5);
    expect(kept[0].score).toBe(19 / 20);
  });
});

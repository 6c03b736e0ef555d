import type { Detection } from '../types';
import { boxIou } from './boxMath';

/**
 * Greedy non-maximum suppression within each class: the highest-scoring box of a class stays and
 * every box of the same class overlapping it by more than `iouThreshold` goes. Classes never
 * suppress each other, so a person holding a bird keeps both. Returns at most `maxDetections`,
 * best first. Candidate counts are small (tens), so the quadratic pass costs nothing.
 */
export function nonMaxSuppression(candidates: readonly Detection[], iouThreshold: number, maxDetections: number): Detection[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const c of sorted) {
    if (kept.length >= maxDetections) break;
    let suppressed = false;
    for (const k of kept) {
      if (k.label === c.label && boxIou(k.box, c.box) > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(c);
  }
  return kept;
}

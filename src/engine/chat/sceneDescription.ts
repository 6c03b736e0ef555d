/**
 * The first frame in words, for a language model that cannot see (the paper's two-stage
 * "LGVI + MLLM" variant): Lite's detections as classes, positions and sizes. Positions are said
 * the way the grammar reads them back ("left", "top right"), so the model's instruction uses
 * words the engines understand.
 */
import type { Detection } from '../lite/types';
import type { SceneObject } from './types';

export function sceneObjects(detections: readonly Detection[], width: number, height: number): SceneObject[] {
  return detections
    .map((d) => ({
      label: d.label,
      cx: (d.box.x + d.box.width / 2) / width,
      cy: (d.box.y + d.box.height / 2) / height,
      width: d.box.width / width,
      height: d.box.height / height,
      score: d.score,
    }))
    .sort((a, b) => a.cx - b.cx);
}

function where(o: SceneObject): string {
  const h = o.cx < 1 / 3 ? 'left' : o.cx > 2 / 3 ? 'right' : 'centre';
  const v = o.cy < 1 / 3 ? 'top' : o.cy > 2 / 3 ? 'bottom' : '';
  return v ? (h === 'centre' ? v : `${v} ${h}`) : h;
}

const percent = (f: number) => `${Math.round(f * 100)}%`;

/** One line per object, left to right, e.g. "1. bird, left, 18% of the width and 30% of the height". */
export function describeScene(objects: readonly SceneObject[]): string {
  if (objects.length === 0) return 'The detector found no objects it knows in the first frame.';
  const lines = objects.map((o, i) => `${i + 1}. ${o.label}, ${where(o)}, ${percent(o.width)} of the width and ${percent(o.height)} of the height`);
  return `Objects in the first frame, left to right:\n${lines.join('\n')}`;
}

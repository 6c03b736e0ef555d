import type { FindResultDto } from '../../../api/schemas/jobs';

type Found = FindResultDto['objects'][number];

/** "bird 1", "bird 2" (numbered left to right within a label, as the user sees them), or the label alone. */
export function objectName(find: FindResultDto, o: Found): string {
  const same = find.objects.filter((x) => x.label === o.label);
  if (same.length === 1) return o.label;
  const x = (t: Found) => {
    const b = t.boxes.find((v) => v);
    return b ? b[0] + b[2] / 2 : 0;
  };
  const order = [...same].sort((a, b) => x(a) - x(b));
  return `${o.label} ${order.indexOf(o) + 1}`;
}

const COLOURS = ['#ff3b5c', '#ff9f1c', '#2ec4b6', '#e056fd', '#4f9dff', '#badc58'];

export function objectColour(id: number): string {
  return COLOURS[id % COLOURS.length];
}

import type { Box } from '../types';

/** Intersection over union of two boxes; 0 when either is empty or they do not touch. */
export function boxIou(a: Box, b: Box): number {
  const ix = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

export function boxCentre(b: Box): [number, number] {
  return [b.x + b.width / 2, b.y + b.height / 2];
}

/** The box a fraction t of the way from a to b (t=0 is a, t=1 is b), corner by corner. */
export function lerpBox(a: Box, b: Box, t: number): Box {
  return {
    x: a.x + (b.x - a.x) * t,
    y: a.y + (b.y - a.y) * t,
    width: a.width + (b.width - a.width) * t,
    height: a.height + (b.height - a.height) * t,
  };
}

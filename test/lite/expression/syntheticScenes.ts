/**
 * Synthetic tracks for selection tests: objects with known boxes over a short clip, so every
 * qualifier's right answer is known by construction. Frames are 640x360.
 */
import type { Box, Track } from '../../../src/engine/lite/types';

export const FRAME = { frameWidth: 640, frameHeight: 360 } as const;
export const FRAMES = 12;

interface TrackSpec {
  id: number;
  label: string;
  /** Box at the first frame; `move` is added per frame. */
  box: Box;
  move?: { dx: number; dy: number };
  /** Frames the object is visible (default all). */
  visible?: (f: number) => boolean;
  score?: number;
  colour?: string;
}

export interface Scene {
  tracks: Track[];
  colours: Map<number, string>;
}

export function makeTrack(spec: TrackSpec, frames = FRAMES): Track {
  const boxes: (Box | null)[] = [];
  const predicted: boolean[] = [];
  let first = -1;
  let last = -1;
  for (let f = 0; f < frames; f++) {
    const seen = spec.visible ? spec.visible(f) : true;
    boxes.push(
      seen
        ? { x: spec.box.x + (spec.move?.dx ?? 0) * f, y: spec.box.y + (spec.move?.dy ?? 0) * f, width: spec.box.width, height: spec.box.height }
        : null,
    );
    predicted.push(false);
    if (seen) {
      if (first < 0) first = f;
      last = f;
    }
  }
  return { id: spec.id, label: spec.label, score: spec.score ?? 0.8, firstFrame: first, lastFrame: last, boxes, predicted };
}

export function scene(...specs: TrackSpec[]): Scene {
  return {
    tracks: specs.map((s) => makeTrack(s)),
    colours: new Map(specs.filter((s) => s.colour).map((s) => [s.id, s.colour as string])),
  };
}

/** Two budgies on a blind: green on the left, blue on the right (like two-birds, but known). */
export const twoBirds = (): Scene =>
  scene(
    { id: 1, label: 'bird', box: { x: 100, y: 120, width: 50, height: 110 }, colour: 'green' },
    { id: 2, label: 'bird', box: { x: 440, y: 40, width: 50, height: 100 }, colour: 'blue' },
  );

/** Three people in a row: small on the left (back), big in the middle (front), medium on the right. */
export const threePeople = (): Scene =>
  scene(
    { id: 1, label: 'person', box: { x: 60, y: 100, width: 60, height: 150 }, colour: 'red' },
    { id: 2, label: 'person', box: { x: 270, y: 60, width: 110, height: 280 }, colour: 'white' },
    { id: 3, label: 'person', box: { x: 500, y: 90, width: 80, height: 200 }, colour: 'black' },
  );

/** A dog on the left and a girl on the right. */
export const dogAndGirl = (): Scene =>
  scene(
    { id: 1, label: 'dog', box: { x: 80, y: 220, width: 140, height: 100 }, colour: 'brown' },
    { id: 2, label: 'person', box: { x: 400, y: 60, width: 90, height: 260 }, colour: 'pink' },
  );

/** Three birds: red left, green middle, red right. */
export const threeBirds = (): Scene =>
  scene(
    { id: 1, label: 'bird', box: { x: 40, y: 100, width: 40, height: 60 }, colour: 'red' },
    { id: 2, label: 'bird', box: { x: 300, y: 100, width: 40, height: 60 }, colour: 'green' },
    { id: 3, label: 'bird', box: { x: 560, y: 100, width: 40, height: 60 }, colour: 'red' },
  );

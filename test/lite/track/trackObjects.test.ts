import { describe, expect, it } from 'vitest';
import { trackObjects } from '../../../src/engine/lite/track/trackObjects';
import type { Box, Detection, Track } from '../../../src/engine/lite/types';
import { gaussian, seededRandom } from './seededRandom';

const SIZE = { width: 640, height: 360 };

/** An object's true path: its box in each frame, or null where it is absent/hidden. */
type Path = (f: number) => Box | null;

const moving =
  (x0: number, y0: number, vx: number, vy: number, w = 40, h = 60): Path =>
  (f) => ({ x: x0 + vx * f, y: y0 + vy * f, width: w, height: h });

/** Detections per frame from ground-truth paths, optionally jittered. */
function detectionsFrom(frames: number, objects: { label: string; path: Path }[], noise?: { rand: () => number; px: number }): Detection[][] {
  return Array.from({ length: frames }, (_, f) =>
    objects.flatMap(({ label, path }) => {
      const b = path(f);
      if (!b) return [];
      const j = () => (noise ? gaussian(noise.rand) * noise.px : 0);
      return [{ frame: f, label, score: 0.8, box: { x: b.x + j(), y: b.y + j(), width: b.width + j(), height: b.height + j() } }];
    }),
  );
}

/** The track whose detected boxes are nearest to `path` in `frame`. */
function trackAt(tracks: Track[], path: Path, frame: number): Track {
  const target = path(frame)!;
  const dist = (t: Track) => {
    const b = t.boxes[frame];
    return b ? Math.hypot(b.x - target.x, b.y - target.y) : Infinity;
  };
  return [...tracks].sort((a, b) => dist(a) - dist(b))[0];
}

describe('trackObjects', () => {
  it('keeps identities through a crossing of two same-class objects', () => {
    const a = moving(40, 150, 12, 0);
    const b = moving(560, 160, -12, 0);
    const dets = detectionsFrom(40, [
      { label: 'bird', path: a },
      { label: 'bird', path: b },
    ]);
    const tracks = trackObjects(dets, 40, SIZE);
    expect(tracks).toHaveLength(2);
    const ta = trackAt(tracks, a, 0);
    const tb = trackAt(tracks, b, 0);
    expect(ta.id).not.toBe(tb.id);
    // After the crossing (near frame 21) each track still follows the object it started on.
    for (const f of [30, 39]) {
      expect(trackAt(tracks, a, f).id).toBe(ta.id);
      expect(trackAt(tracks, b, f).id).toBe(tb.id);
    }
    expect(ta.firstFrame).toBe(0);
    expect(ta.lastFrame).toBe(39);
    expect(ta.predicted.some(Boolean)).toBe(false);
  });

  it('keeps identities when the crossing objects also hide each other for three frames', () => {
    const a = moving(40, 150, 12, 0);
    const b = moving(560, 150, -12, 0);
    const hidden = (p: Path): Path => (f) => (f >= 20 && f <= 22 ? null : p(f));
    const dets = detectionsFrom(40, [
      { label: 'person', path: a },
      { label: 'person', path: hidden(b) },
    ]);
    const tracks = trackObjects(dets, 40, SIZE);
    expect(tracks).toHaveLength(2);
    const tb = trackAt(tracks, b, 0);
    expect(trackAt(tracks, b, 35).id).toBe(tb.id);
    expect(tb.predicted.slice(20, 23)).toEqual([true, true, true]);
  });

  it('bridges a 3-frame occlusion with interpolated, marked boxes', () => {
    const p = moving(100, 100, 5, 2);
    const dets = detectionsFrom(30, [{ label: 'dog', path: (f) => (f >= 10 && f <= 12 ? null : p(f)) }]);
    const [t, ...rest] = trackObjects(dets, 30, SIZE);
    expect(rest).toHaveLength(0);
    expect([t.firstFrame, t.lastFrame]).toEqual([0, 29]);
    for (let f = 0; f < 30; f++) {
      expect(t.predicted[f]).toBe(f >= 10 && f <= 12);
      expect(t.boxes[f]!.x).toBeCloseTo(p(f)!.x, 6); // linear motion: interpolation is exact
      expect(t.boxes[f]!.y).toBeCloseTo(p(f)!.y, 6);
    }
  });

  it('ends a track after maxMisses and starts a new one when the object comes back much later', () => {
    const p = moving(100, 100, 2, 0);
    const dets = detectionsFrom(40, [{ label: 'cat', path: (f) => (f >= 10 && f < 25 ? null : p(f)) }]);
    const tracks = trackObjects(dets, 40, SIZE, { maxMisses: 5 });
    expect(tracks.map((t) => [t.firstFrame, t.lastFrame])).toEqual([
      [0, 9],
      [25, 39],
    ]);
    expect(tracks[0].boxes.slice(10).every((b) => b === null)).toBe(true);
  });

  it('follows objects entering and leaving the frame', () => {
    // Enters from the left at frame 5, walks out on the right at about frame 34; a parked car stays throughout.
    const walker: Path = (f) => (f < 5 ? null : { x: -30 + (f - 5) * 23, y: 200, width: 40, height: 80 });
    const inFrame: Path = (f) => {
      const b = walker(f);
      return b && b.x < SIZE.width && b.x + b.width > 0 ? b : null;
    };
    const car = moving(300, 50, 0, 0, 120, 60);
    const dets = detectionsFrom(50, [
      { label: 'person', path: inFrame },
      { label: 'car', path: car },
    ]);
    const tracks = trackObjects(dets, 50, SIZE);
    expect(tracks.map((t) => t.label).sort()).toEqual(['car', 'person']);
    const person = tracks.find((t) => t.label === 'person')!;
    const lastSeen = Array.from({ length: 50 }, (_, f) => f).filter((f) => inFrame(f)).pop();
    expect([person.firstFrame, person.lastFrame]).toEqual([5, lastSeen]);
    expect(person.boxes.slice(0, 5).every((b) => b === null)).toBe(true);
    expect(person.boxes.slice(lastSeen! + 1).every((b) => b === null)).toBe(true);
    const car0 = tracks.find((t) => t.label === 'car')!;
    expect([car0.firstFrame, car0.lastFrame]).toEqual([0, 49]);
  });

  it('keeps two overlapping objects of different classes apart', () => {
    // A dog walking alongside a person, their boxes overlapping heavily all the way.
    const person = moving(100, 100, 6, 0, 60, 160);
    const dog = moving(110, 180, 6, 0, 60, 50);
    const dets = detectionsFrom(30, [
      { label: 'person', path: person },
      { label: 'dog', path: dog },
    ]);
    const tracks = trackObjects(dets, 30, SIZE);
    expect(tracks.map((t) => t.label).sort()).toEqual(['dog', 'person']);
    for (const t of tracks) {
      const truth = t.label === 'dog' ? dog : person;
      for (let f = 0; f < 30; f++) expect(t.boxes[f]!.y).toBeCloseTo(truth(f)!.y, 6);
    }
  });

  it('copes with noisy boxes, dropouts and one-frame false alarms', () => {
    const rand = seededRandom(42);
    const a = moving(50, 80, 8, 1);
    const b = moving(500, 220, -6, -1.5);
    const dropout = (p: Path): Path => (f) => (rand() < 0.1 ? null : p(f));
    const dets = detectionsFrom(
      60,
      [
        { label: 'bird', path: dropout(a) },
        { label: 'bird', path: dropout(b) },
      ],
      { rand, px: 3 },
    );
    // False alarms: a lone "bird" somewhere random in every 7th frame.
    for (let f = 3; f < 60; f += 7) {
      dets[f].push({ frame: f, label: 'bird', score: 0.35, box: { x: rand() * 560, y: rand() * 300, width: 30, height: 30 } });
    }
    const tracks = trackObjects(dets, 60, SIZE);
    expect(tracks).toHaveLength(2);
    for (const [path, frames] of [
      [a, [0, 59]],
      [b, [0, 59]],
    ] as const) {
      const t = trackAt(tracks, path, 5);
      for (let f = 0; f < 60; f++) {
        const box = t.boxes[f];
        // Dropouts at the clip's ends shorten a track; inside it every frame has a box near the truth.
        if (f < t.firstFrame || f > t.lastFrame) continue;
        expect(Math.hypot(box!.x - path(f)!.x, box!.y - path(f)!.y)).toBeLessThan(15);
      }
      expect(t.lastFrame - t.firstFrame).toBeGreaterThan(frames[1] - frames[0] - 6);
    }
  });

  it('treats unexamined (null) frames as neither hits nor misses, interpolating across them', () => {
    const p = moving(20, 40, 4, 3);
    const all = detectionsFrom(31, [{ label: 'horse', path: p }]);
    const keyframes = all.map((d, f) => (f % 5 === 0 ? d : null));
    const [t, ...rest] = trackObjects(keyframes, 31, SIZE, { maxMisses: 0 });
    expect(rest).toHaveLength(0);
    expect([t.firstFrame, t.lastFrame]).toEqual([0, 30]);
    for (let f = 0; f <= 30; f++) {
      expect(t.predicted[f]).toBe(f % 5 !== 0);
      expect(t.boxes[f]!.x).toBeCloseTo(p(f)!.x, 6);
    }
  });

  it('needs minHits consecutive hits to start a track, except in a clip examined fewer times', () => {
    const flicker = detectionsFrom(10, [{ label: 'cup', path: (f) => (f % 2 === 0 ? { x: 10, y: 10, width: 20, height: 20 } : null) }]);
    expect(trackObjects(flicker, 10, SIZE, { minHits: 2 })).toHaveLength(0);
    const single = detectionsFrom(1, [{ label: 'cup', path: () => ({ x: 10, y: 10, width: 20, height: 20 }) }]);
    const [t] = trackObjects(single, 1, SIZE);
    expect(t).toMatchObject({ label: 'cup', firstFrame: 0, lastFrame: 0, score: 0.8 });
  });

  it('does not start a second track on a part of an object already tracked', () => {
    const body = moving(100, 100, 3, 0, 50, 100);
    const tail: Path = (f) => ({ x: 110 + 3 * f, y: 160, width: 20, height: 35 });
    const dets = detectionsFrom(20, [
      { label: 'bird', path: body },
      { label: 'bird', path: tail },
    ]);
    expect(trackObjects(dets, 20, SIZE)).toHaveLength(1);
  });

  it('numbers tracks 1.. by first appearance', () => {
    const dets = detectionsFrom(20, [
      { label: 'car', path: (f) => (f < 8 ? null : { x: 400, y: 50, width: 50, height: 30 }) },
      { label: 'car', path: moving(300, 200, 0, 0, 50, 30) },
      { label: 'car', path: moving(50, 200, 0, 0, 50, 30) },
    ]);
    const tracks = trackObjects(dets, 20, SIZE);
    expect(tracks.map((t) => [t.id, t.firstFrame, Math.round(t.boxes[t.firstFrame]!.x)])).toEqual([
      [1, 0, 50],
      [2, 0, 300],
      [3, 8, 400],
    ]);
  });
});

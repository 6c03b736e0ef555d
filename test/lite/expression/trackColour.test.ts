import { describe, expect, it } from 'vitest';
import { dominantColour, parseExpression, sampleFrames, selectTracks, trackColour } from '../../../src/engine/lite/expression';
import type { RgbImage } from '../../../src/engine/lite/types';
import { makeTrack } from './syntheticScenes';

const W = 160;
const H = 90;
const BLUE = [30, 70, 210] as const;

/** A blue backdrop with filled discs: each disc a colour, centre and radius. */
function frameWith(discs: { cx: number; cy: number; r: number; rgb: readonly [number, number, number] }[]): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const disc = discs.find((d) => (x - d.cx) ** 2 + (y - d.cy) ** 2 <= d.r * d.r);
      data.set(disc ? disc.rgb : BLUE, (y * W + x) * 3);
    }
  }
  return { width: W, height: H, data };
}

describe('trackColour', () => {
  it("reads the object, not the background in its box's corners", () => {
    // A small red disc in a loose box: the box's pixels are mostly blue backdrop.
    const track = makeTrack({ id: 1, label: 'sports ball', box: { x: 20, y: 20, width: 40, height: 40 }, move: { dx: 5, dy: 0 } }, 6);
    const frames = Array.from({ length: 6 }, (_, f) => frameWith([{ cx: 40 + 5 * f, cy: 40, r: 13, rgb: [220, 30, 30] }]));
    expect(dominantColour(frames[0], { box: track.boxes[0] ?? undefined })?.name).toBe('blue');
    expect(trackColour(track, (f) => frames[f])?.name).toBe('red');
  });

  it('uses a mask when one is given', () => {
    const track = makeTrack({ id: 1, label: 'bird', box: { x: 0, y: 0, width: 20, height: 10 } }, 2);
    const frame = frameWith([{ cx: 200, cy: 200, r: 1, rgb: [0, 0, 0] }]); // all backdrop
    const mask = new Uint8Array(20 * 10); // nothing under the mask...
    mask[0] = 255; // ...but one backdrop pixel
    expect(trackColour(track, () => frame, { maskAt: () => mask })?.share).toBe(1);
    expect(trackColour(track, () => frame, { maskAt: () => new Uint8Array(200) })).toBeNull();
  });

  it('samples detected frames evenly, skips predicted ones, and tolerates frames no longer held', () => {
    const track = makeTrack({ id: 1, label: 'dog', box: { x: 0, y: 0, width: 10, height: 10 } }, 100);
    track.predicted[50] = true;
    const picked = sampleFrames(track, 8);
    expect(picked).toHaveLength(8);
    expect(picked).not.toContain(50);
    expect(picked[0]).toBeLessThan(10);
    expect(picked[7]).toBeGreaterThan(90);
    expect(sampleFrames(makeTrack({ id: 2, label: 'dog', box: { x: 0, y: 0, width: 1, height: 1 }, visible: (f) => f < 3 }, 10), 8)).toEqual([0, 1, 2]);
    expect(trackColour(track, () => undefined)).toBeNull();
  });

  it('feeds selectTracks: "the red ball" on pixels', () => {
    const red = makeTrack({ id: 1, label: 'sports ball', box: { x: 20, y: 25, width: 40, height: 40 } }, 4);
    const yellow = makeTrack({ id: 2, label: 'sports ball', box: { x: 100, y: 25, width: 40, height: 40 } }, 4);
    const frame = frameWith([
      { cx: 40, cy: 45, r: 15, rgb: [210, 35, 40] },
      { cx: 120, cy: 45, r: 15, rgb: [240, 210, 40] },
    ]);
    const sel = selectTracks(parseExpression('remove the red ball'), [red, yellow], {
      frameWidth: W,
      frameHeight: H,
      colourOf: (t) => trackColour(t, () => frame)?.name ?? null,
    });
    expect(sel.selected.map((t) => t.id)).toEqual([1]);
    expect(sel.explanation).toBe('matched 1 of 2 balls: the red one');
  });
});

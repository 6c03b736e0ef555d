import { describe, expect, it } from 'vitest';
import { ColourTally, colourName, dominantColour, type ColourName, type Rgb } from '../../../src/engine/lite/expression';
import type { RgbImage } from '../../../src/engine/lite/types';
import { decodeImage, TWO_BIRDS_DIR, TWO_BIRDS_SIZE } from '../detect/decodeImage';

describe('colourName', () => {
  const TABLE: [Rgb, ColourName][] = [
    [[255, 0, 0], 'red'],
    [[200, 30, 40], 'red'],
    [[100, 20, 20], 'red'],
    [[255, 140, 0], 'orange'],
    [[139, 69, 19], 'brown'],
    [[210, 180, 140], 'brown'],
    [[60, 40, 30], 'brown'],
    [[255, 220, 0], 'yellow'],
    [[0, 128, 0], 'green'],
    [[120, 200, 60], 'green'],
    [[0, 0, 255], 'blue'],
    [[0, 0, 128], 'blue'],
    [[0, 128, 128], 'blue'],
    [[135, 206, 235], 'blue'],
    [[128, 0, 128], 'purple'],
    [[120, 60, 200], 'purple'],
    [[255, 105, 180], 'pink'],
    [[255, 192, 203], 'pink'],
    [[0, 0, 0], 'black'],
    [[30, 30, 30], 'black'],
    [[40, 10, 10], 'black'],
    [[128, 128, 128], 'grey'],
    [[150, 140, 135], 'grey'],
    [[245, 245, 245], 'white'],
    [[255, 250, 235], 'white'],
  ];
  it.each(TABLE)('%j is %s', (rgb, name) => {
    expect(colourName(rgb)).toBe(name);
  });
});

/** An image filled by `paint(x, y)` → RGB. */
function image(width: number, height: number, paint: (x: number, y: number) => Rgb): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = paint(x, y);
      data.set([r, g, b], (y * width + x) * 3);
    }
  }
  return { width, height, data };
}
const shade = (rgb: Rgb, k: number): Rgb => [Math.round(rgb[0] * k), Math.round(rgb[1] * k), Math.round(rgb[2] * k)];

describe('dominantColour', () => {
  it('calls a white surface half in shadow white, where its mean colour reads grey', () => {
    // Lit half at 240, shadowed half at 90: the mean (165) is a mid grey.
    const img = image(40, 40, (x) => (x < 20 ? [240, 240, 240] : [90, 90, 90]));
    const result = dominantColour(img);
    expect(colourName(result?.meanRgb ?? [0, 0, 0])).toBe('grey');
    expect(result?.name).toBe('white');
  });

  it('calls a green object green through a shading ramp and deep shadow', () => {
    // Value falls from 100% to 25% across the object, and 35% of it is near-black shadow.
    const green: Rgb = [60, 190, 70];
    const img = image(100, 40, (x) => (x >= 65 ? [15, 18, 15] : shade(green, 1 - 0.75 * (x / 65))));
    expect(dominantColour(img)?.name).toBe('green');
  });

  it('keeps orange orange when shaded, and brown brown when lit', () => {
    const orange = image(40, 40, (x) => shade([255, 140, 0], x < 20 ? 1 : 0.45));
    expect(dominantColour(orange)?.name).toBe('orange');
    const brown = image(40, 40, (x) => shade([150, 95, 50], x < 20 ? 1 : 0.5));
    expect(dominantColour(brown)?.name).toBe('brown');
  });

  it('calls a black coat with highlights black', () => {
    const img = image(50, 50, (x, y) => ((x + y) % 10 === 0 ? [200, 190, 180] : [25, 20, 18]));
    expect(dominantColour(img)?.name).toBe('black');
  });

  it('looks only inside the box and under the mask', () => {
    // Left half red, right half blue; a box over the middle and a mask over its right half.
    const img = image(80, 20, (x) => (x < 40 ? [220, 30, 30] : [30, 60, 220]));
    const box = { x: 20, y: 0, width: 40, height: 20 };
    expect(dominantColour(img, { box: { x: 0, y: 0, width: 30, height: 20 } })?.name).toBe('red');
    const mask = new Uint8Array(40 * 20);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) mask[y * 40 + x] = x >= 20 ? 255 : 100; // 100 < 50%: ignored
    expect(dominantColour(img, { box, mask })?.name).toBe('blue');
    expect(dominantColour(img, { box, mask })?.share).toBe(1);
  });

  it('clips a box that runs off the image, and returns null when nothing is inside', () => {
    const img = image(20, 20, () => [30, 60, 220]);
    expect(dominantColour(img, { box: { x: 10, y: 10, width: 30, height: 30 } })?.name).toBe('blue');
    expect(dominantColour(img, { box: { x: 40, y: 40, width: 10, height: 10 } })).toBeNull();
  });

  it('rejects a mask that does not cover the region', () => {
    const img = image(20, 20, () => [0, 0, 0]);
    expect(() => dominantColour(img, { box: { x: 0, y: 0, width: 10, height: 10 }, mask: new Uint8Array(50) })).toThrow(/mask has 50 weights for a 10x10 region/);
  });

  it('tallies a track over several frames', () => {
    // A yellow object, dim in two frames and lit in one: over the track it is still yellow.
    const tally = new ColourTally();
    tally.add(image(10, 10, () => shade([250, 220, 30], 0.5)));
    tally.add(image(10, 10, () => shade([250, 220, 30], 0.55)));
    tally.add(image(10, 10, () => [250, 220, 30]));
    expect(tally.result()?.name).toBe('yellow');
    expect(new ColourTally().result()).toBeNull();
  });
});

describe('dominantColour on a real frame (two-birds, frame 0)', () => {
  const blinds = { x: 180, y: 0, width: 120, height: 120 };
  const leftBird = { x: 120, y: 145, width: 35, height: 50 };
  const load = (filter?: string) => decodeImage(`${TWO_BIRDS_DIR}/00000.jpg`, TWO_BIRDS_SIZE.width, TWO_BIRDS_SIZE.height, filter);

  it('sees the backlit blinds and the dark budgie as colourless, not a hue from JPEG noise', async () => {
    const img = await load();
    expect(['white', 'grey']).toContain(dominantColour(img, { box: blinds })?.name);
    expect(['grey', 'black']).toContain(dominantColour(img, { box: leftBird })?.name);
  });

  it('follows a colour cast applied to the real pixels', async () => {
    const green = await load('colorchannelmixer=rr=0.3:gg=1:bb=0.3');
    expect(dominantColour(green, { box: leftBird })?.name).toBe('green');
    const blue = await load('colorchannelmixer=rr=0.2:gg=0.4:bb=1');
    expect(dominantColour(blue, { box: blinds })?.name).toBe('blue');
    const sepia = await load('colorchannelmixer=.393:.769:.189:0:.349:.686:.168:0:.272:.534:.131');
    expect(dominantColour(sepia, { box: blinds })?.name).toBe('brown');
  });
});

/**
 * Naming an object's colour the way a person would ("the red one"), for colour words in a
 * referring expression. Eleven basic colour terms (black, white, grey, red, orange, yellow, green,
 * blue, purple, pink, brown): every language's colour vocabulary is built on these, so users' finer
 * words map onto them (vocabulary.ts), and a bucket this coarse stays stable under lighting.
 *
 * Two entry points: `colourName(rgb)` names one colour (a mean colour, or a pixel), and
 * `ColourTally` / `dominantColour` name an object from its pixels. The pixel path is the robust
 * one: shading darkens a surface without changing its hue, so pixels vote by hue family and the
 * lightness-dependent distinctions (orange vs brown, white vs grey) are judged on the brighter
 * quartile of the family's pixels — the lit side shows the surface's own colour, the shadowed
 * side only darker versions of it.
 */
import type { Box, RgbImage } from '../types';

export const COLOUR_NAMES = ['red', 'orange', 'yellow', 'green', 'blue', 'purple', 'pink', 'brown', 'black', 'white', 'grey'] as const;
export type ColourName = (typeof COLOUR_NAMES)[number];

/** 0..255 per channel. */
export type Rgb = readonly [number, number, number];

/** Below this value (0..1) a surface reads as black whatever its hue: sensor noise dominates. */
const BLACK_VALUE = 0.2;
/** Below this saturation, or below this chroma (0..1 of full scale), a colour reads as a grey. */
const ACHROMATIC_SATURATION = 0.18;
const ACHROMATIC_CHROMA = 0.08;
/** Greys above this value read white, below BLACK_GREY_VALUE black. */
const WHITE_VALUE = 0.75;
const BLACK_GREY_VALUE = 0.3;

/**
 * Hue families by hue angle (degrees). Pink/purple/brown are not hues of their own: they are
 * decided from lightness and saturation within a family (see refineFamily).
 */
const Family = { Red: 0, Orange: 1, Yellow: 2, Green: 3, Blue: 4, Purple: 5, Magenta: 6 } as const;
type Family = (typeof Family)[keyof typeof Family];
const FAMILY_COUNT = 7;

function familyOfHue(hue: number): Family {
  if (hue < 12 || hue >= 340) return Family.Red;
  if (hue < 42) return Family.Orange;
  if (hue < 70) return Family.Yellow;
  if (hue < 165) return Family.Green;
  if (hue < 260) return Family.Blue;
  if (hue < 290) return Family.Purple;
  return Family.Magenta;
}

/**
 * The basic colour term for a family given how light (value of its brighter pixels) and how
 * saturated it is: a desaturated light red is pink, a dark or desaturated orange is brown (tan,
 * chocolate), a dark yellow is brown (ochre), a light magenta is pink and a dark one purple.
 */
function refineFamily(family: number, value: number, saturation: number): ColourName {
  switch (family) {
    case Family.Red:
      return saturation < 0.45 && value > 0.65 ? 'pink' : 'red';
    case Family.Orange:
      return value < 0.62 || saturation < 0.45 ? 'brown' : 'orange';
    case Family.Yellow:
      return value < 0.45 ? 'brown' : 'yellow';
    case Family.Green:
      return 'green';
    case Family.Blue:
      return 'blue';
    case Family.Purple:
      return 'purple';
    default:
      // Family.Magenta
      return value >= 0.6 ? 'pink' : 'purple';
  }
}

function greyName(value: number): ColourName {
  if (value > WHITE_VALUE) return 'white';
  if (value < BLACK_GREY_VALUE) return 'black';
  return 'grey';
}

/** Hue in degrees [0, 360) of an RGB triple with max > min. */
function hueOf(r: number, g: number, b: number, max: number, chroma: number): number {
  let h: number;
  if (max === r) h = ((g - b) / chroma) % 6;
  else if (max === g) h = (b - r) / chroma + 2;
  else h = (r - g) / chroma + 4;
  h *= 60;
  return h < 0 ? h + 360 : h;
}

/** The basic colour name of one colour (e.g. a mean colour the caller measured). */
export function colourName(rgb: Rgb): ColourName {
  const [r, g, b] = rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const value = max / 255;
  const chroma = max - min;
  const saturation = max === 0 ? 0 : chroma / max;
  if (value < BLACK_VALUE) return 'black';
  if (saturation < ACHROMATIC_SATURATION || chroma / 255 < ACHROMATIC_CHROMA) return greyName(value);
  return refineFamily(familyOfHue(hueOf(r, g, b, max, chroma)), value, saturation);
}

/** What an object's pixels say about its colour. */
export interface DominantColour {
  name: ColourName;
  /** Share (0..1) of the weighed pixels that voted for the winning family or for grey/black/white. */
  share: number;
  /** Weighted mean colour of all weighed pixels, 0..255 per channel. */
  meanRgb: Rgb;
}

/** Where in an image to look: a box (clipped to the image), and optionally a soft mask over it. */
export interface ColourRegion {
  box?: Box;
  /**
   * 0..255 weights, row-major over the box after rounding (Detection.mask's layout), or over the
   * whole image when there is no box. Pixels under 50% weight are ignored: a soft mask's fringe is
   * mostly background.
   */
  mask?: Uint8Array;
}

/** Pixels of a chromatic family must make up this share of the object before it is called by hue. */
const CHROMATIC_SHARE = 0.3;
/** Lightness histogram resolution for the upper-quartile value. */
const VALUE_BINS = 32;
/** The brighter quartile: the lit side of a shaded surface. */
const UPPER_QUANTILE = 0.75;

/**
 * Accumulates an object's pixels (from one frame or many, so a track's colour can be judged over
 * the clip) and names the colour they show.
 */
export class ColourTally {
  /** Per family, then the achromatic group at index FAMILY_COUNT. */
  private readonly weight = new Float64Array(FAMILY_COUNT + 1);
  private readonly saturationSum = new Float64Array(FAMILY_COUNT + 1);
  private readonly valueHistogram = new Float64Array((FAMILY_COUNT + 1) * VALUE_BINS);
  private readonly rgbSum = new Float64Array(3);
  private total = 0;

  /** Adds the pixels of `region` of `image` (the whole image without a region). */
  add(image: RgbImage, region: ColourRegion = {}): this {
    const { width, height, data } = image;
    const box = region.box;
    const bx = box ? Math.round(box.x) : 0;
    const by = box ? Math.round(box.y) : 0;
    const bw = box ? Math.round(box.width) : width;
    const bh = box ? Math.round(box.height) : height;
    const mask = region.mask;
    if (mask && mask.length !== bw * bh) {
      throw new Error(`colour mask has ${mask.length} weights for a ${bw}x${bh} region`);
    }
    const x0 = Math.max(0, bx);
    const y0 = Math.max(0, by);
    const x1 = Math.min(width, bx + bw);
    const y1 = Math.min(height, by + bh);
    const weight = this.weight;
    const satSum = this.saturationSum;
    const hist = this.valueHistogram;
    let total = this.total;
    let sr = 0;
    let sg = 0;
    let sb = 0;
    for (let y = y0; y < y1; y++) {
      let p = (y * width + x0) * 3;
      let m = (y - by) * bw + (x0 - bx);
      for (let x = x0; x < x1; x++, p += 3, m++) {
        let w = 1;
        if (mask) {
          const mv = mask[m];
          if (mv < 128) continue;
          w = mv / 255;
        }
        const r = data[p];
        const g = data[p + 1];
        const b = data[p + 2];
        const max = r > g ? (r > b ? r : b) : g > b ? g : b;
        const min = r < g ? (r < b ? r : b) : g < b ? g : b;
        const chroma = max - min;
        const value = max / 255;
        const saturation = max === 0 ? 0 : chroma / max;
        let group: number;
        if (value < BLACK_VALUE || saturation < ACHROMATIC_SATURATION || chroma < ACHROMATIC_CHROMA * 255) {
          group = FAMILY_COUNT;
        } else {
          group = familyOfHue(hueOf(r, g, b, max, chroma));
        }
        weight[group] += w;
        satSum[group] += saturation * w;
        const bin = value >= 1 ? VALUE_BINS - 1 : Math.floor(value * VALUE_BINS);
        hist[group * VALUE_BINS + bin] += w;
        sr += r * w;
        sg += g * w;
        sb += b * w;
        total += w;
      }
    }
    this.rgbSum[0] += sr;
    this.rgbSum[1] += sg;
    this.rgbSum[2] += sb;
    this.total = total;
    return this;
  }

  /** The colour the pixels added so far show; null when no pixel was added. */
  result(): DominantColour | null {
    if (this.total <= 0) return null;
    const meanRgb: Rgb = [this.rgbSum[0] / this.total, this.rgbSum[1] / this.total, this.rgbSum[2] / this.total];
    let best = 0;
    let chromatic = 0;
    for (let f = 0; f < FAMILY_COUNT; f++) {
      chromatic += this.weight[f];
      if (this.weight[f] > this.weight[best]) best = f;
    }
    // An object is called by its hue when enough of it is coloured at all: shadows and highlights
    // of a coloured surface vote grey/black/white, so a plain majority would undercount hue.
    if (chromatic >= CHROMATIC_SHARE * this.total && this.weight[best] > 0) {
      const value = this.upperValue(best);
      const saturation = this.saturationSum[best] / this.weight[best];
      return { name: refineFamily(best, value, saturation), share: this.weight[best] / this.total, meanRgb };
    }
    const grey = FAMILY_COUNT;
    return { name: greyName(this.upperValue(grey)), share: this.weight[grey] / this.total, meanRgb };
  }

  /** The value (0..1) below which UPPER_QUANTILE of a group's weight lies. */
  private upperValue(group: number): number {
    const limit = this.weight[group] * UPPER_QUANTILE;
    let seen = 0;
    for (let bin = 0; bin < VALUE_BINS; bin++) {
      seen += this.valueHistogram[group * VALUE_BINS + bin];
      if (seen >= limit) return (bin + 0.5) / VALUE_BINS;
    }
    return 1;
  }
}

/** The colour an object's pixels show: one frame's region of one image. */
export function dominantColour(image: RgbImage, region?: ColourRegion): DominantColour | null {
  return new ColourTally().add(image, region).result();
}

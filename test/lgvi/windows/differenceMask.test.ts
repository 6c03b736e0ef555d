// The difference composite mask: the VAE's own reconstruction error sets the threshold, so what
// the VAE loses is not taken for a change, and what the model really replaced is.
import { describe, expect, it } from 'vitest';
import { compositeMask, differenceMask, maskCoverage, reconstructionThreshold } from '../../../src/engine/lgvi/windows/differenceMask';
import { seededRandom } from '../../helpers/packs/seededRandom';

const W = 40;
const H = 30;

function image(fill: (x: number, y: number, c: number) => number): Float32Array {
  const out = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = fill(x, y, c);
  return out;
}

describe('difference mask', () => {
  const rng = seededRandom(7);
  const source = image((x, y, c) => 60 + 2 * x + y + 10 * c);
  // The VAE's loss: noise of up to ±4 everywhere, and ±12 on one row of fine detail.
  const reconstruction = source.map((v, i) => v + (Math.floor(i / 3 / W) === 3 ? 12 : 4) * rng.uniform(-1, 1));
  // The model replaced a 10x8 block (an object) with something 60 levels away, elsewhere it kept the reconstruction.
  const inBlock = (x: number, y: number) => x >= 20 && x < 30 && y >= 10 && y < 18;
  const generated = image((x, y, c) => (inBlock(x, y) ? 200 : reconstruction[(y * W + x) * 3 + c]));

  it('takes the VAE loss quantile as the threshold (at least 6), so its own detail loss is no change', () => {
    const t = reconstructionThreshold([reconstruction], [source]);
    expect(t).toBeGreaterThanOrEqual(6);
    expect(t).toBeLessThanOrEqual(12);
    expect(reconstructionThreshold([source], [source])).toBe(6);
    expect(() => reconstructionThreshold([source], [])).toThrow();
  });

  it('marks exactly what the model replaced, and fades in near the threshold', () => {
    const t = reconstructionThreshold([reconstruction], [source]);
    const m = differenceMask(generated, reconstruction, t);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) expect(m[y * W + x] >= 0.5).toBe(inBlock(x, y));
    expect(maskCoverage(m)).toBeCloseTo(80 / (W * H), 6);
    const near = differenceMask(reconstruction.map((v) => v + 1.5 * t), reconstruction, t);
    expect(near[0]).toBeCloseTo(0.5, 5);
  });

  it('unions with a head mask of another size (resampled), or stands alone', () => {
    const t = reconstructionThreshold([reconstruction], [source]);
    const diff = differenceMask(generated, reconstruction, t);
    // A head at half size that marks the top-left quarter.
    const head = new Float32Array(20 * 15).map((_, i) => (i % 20 < 10 && Math.floor(i / 20) < 7 ? 1 : 0));
    const union = compositeMask('union', head, { width: 20, height: 15 }, diff, { width: W, height: H });
    expect(union[2 * W + 2]).toBe(1); // the head's
    expect(union[12 * W + 24]).toBe(1); // the change's
    expect(union[25 * W + 5]).toBe(0); // neither
    expect(compositeMask('difference', head, { width: 20, height: 15 }, diff, { width: W, height: H })).toBe(diff);
  });
});

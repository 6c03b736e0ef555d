// Picks from a Find preview bound LGVI's composite (app/findPolicy.ts): with the analytic pack,
// whose mask head marks the bright parts all over two-birds, the matte and the take change no pixel
// outside the picked boxes, and do change pixels inside them; without bounds the same run marks
// pixels outside them (so the bound is what keeps them).
import { resolve, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLgviEngine } from '../../../src/engine/lgvi/lgviEngine';
import { boundMatte } from '../../../src/engine/lgvi/windows/removalMatte';
import { decodeFrames } from '../../../src/engine/media/decode';
import { ffmpegPaths } from '../../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../../src/engine/media/probe';
import type { MediaInfo } from '../../../src/engine/media/types';
import type { BoundBox, RemovalInput } from '../../../src/engine/removal/removalEngine';
import { SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../../helpers/fixturePacks';
import { withTempDir } from '../../media/mediaFiles';

const TWO_BIRDS = resolve(import.meta.dirname, '../../../../shared/fixtures/two-birds');
const FRAMES = 6;
const BOX: BoundBox = { x: 60, y: 80, width: 200, height: 160 };

let pack: FixturePack;
let twoBirds: MediaInfo;
beforeAll(async () => {
  pack = await writeAnalyticPack({ working: SMALL_WORKING });
  twoBirds = await probeMedia(TWO_BIRDS);
});
afterAll(async () => pack?.cleanup());

function input(dir: string, name: string, bounds?: BoundBox[][]): RemovalInput {
  return {
    media: twoBirds,
    range: { start: 0, end: FRAMES },
    target: { kind: 'expression', text: 'remove the bird on the left', ...(bounds && { tracks: [1], bounds }) },
    settings: { seed: 1, maskDilate: 4, maskFeather: 2, fullFrame: false, engine: { steps: 2, window: 4, overlap: 1, composite: 'head', useMean: true } },
    output: { file: join(dir, `${name}.mov`), codec: 'prores_hq', matteFile: join(dir, `${name}.matte.mov`) },
  };
}

/** Matte pixels above zero inside and outside BOX, over all frames. */
async function matteCounts(file: string): Promise<{ inside: number; outside: number }> {
  const counts = { inside: 0, outside: 0 };
  for await (const f of decodeFrames(await probeMedia(file), { pixelFormat: 'gray' })) {
    for (let y = 0; y < f.height; y++) {
      for (let x = 0; x < f.width; x++) {
        if (f.data[y * f.width + x] === 0) continue;
        const inside = x >= BOX.x && x < BOX.x + BOX.width && y >= BOX.y && y < BOX.y + BOX.height;
        counts[inside ? 'inside' : 'outside']++;
      }
    }
  }
  return counts;
}

describe('LGVI bounded by picked objects', () => {
  it('changes nothing outside the picked boxes, and still removes inside them', async () => {
    await withTempDir(async (dir) => {
      const engine = createLgviEngine({ packDir: pack.dir, providers: 'cpu' });
      const ctx = { signal: new AbortController().signal, progress: () => {}, warn: () => {}, ffmpeg: ffmpegPaths() };
      const free = await engine.remove(input(dir, 'free'), ctx);
      expect(free.changed).toBe(true);
      const unbounded = await matteCounts(join(dir, 'free.matte.mov'));
      expect(unbounded.outside).toBeGreaterThan(0);

      const bounded = await engine.remove(input(dir, 'bounded', Array.from({ length: FRAMES }, () => [BOX])), ctx);
      expect(bounded.changed).toBe(true);
      expect(bounded.params.extra).toMatchObject({ boundedBy: '1' });
      const counts = await matteCounts(join(dir, 'bounded.matte.mov'));
      expect(counts.outside).toBe(0);
      expect(counts.inside).toBeGreaterThan(0);
    });
  }, 180_000);

  it('boundMatte zeroes alpha outside the boxes and returns the region still marked', () => {
    const [w, h] = [10, 6];
    const alpha = new Uint8Array(w * h).fill(200);
    const region = boundMatte(alpha, w, h, { x: 0, y: 0, width: w, height: h }, [{ x: 2, y: 1, width: 3, height: 2 }]);
    expect(region).toEqual({ x: 2, y: 1, width: 3, height: 2 });
    expect(alpha.reduce((n, v) => n + (v > 0 ? 1 : 0), 0)).toBe(6);
    expect(boundMatte(new Uint8Array(w * h).fill(9), w, h, { x: 0, y: 0, width: w, height: h }, [])).toBeUndefined();
  });
});

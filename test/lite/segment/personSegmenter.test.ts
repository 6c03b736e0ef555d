import { execFile, execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { humanModelsDir } from '../../../src/engine/lite/detect/modelFiles';
import { createPersonSegmenter } from '../../../src/engine/lite/segment/createPersonSegmenter';
import type { Box, RgbImage } from '../../../src/engine/lite/types';
import { isLacunaError } from '../../../src/engine/util/errors';
import { decodeImage, TWO_BIRDS_DIR, TWO_BIRDS_SIZE } from '../detect/decodeImage';

const segmenter = createPersonSegmenter();
afterAll(() => segmenter.dispose());

const grey = (width: number, height: number): RgbImage => ({ width, height, data: new Uint8Array(width * height * 3).fill(128) });

async function errorOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (e) {
    return e;
  }
  throw new Error('it succeeded');
}

/**
 * ImageMagick's built-in "wizard:" picture (a cartoon wizard at a drafting table, 480x640, part
 * of ImageMagick itself), decoded from a PPM on stdout; null where ImageMagick is not installed.
 * Generated here, never stored in the repository.
 */
function wizardImage(): RgbImage | null {
  let ppm: Buffer;
  try {
    ppm = execFileSync('convert', ['wizard:', '-depth', '8', 'ppm:-'], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 32).toString('latin1'));
  if (!header) return null;
  const [width, height] = [Number(header[1]), Number(header[2])];
  const data = ppm.subarray(header[0].length);
  return data.length === width * height * 3 ? { width, height, data: new Uint8Array(data) } : null;
}
const wizard = wizardImage();

describe('createPersonSegmenter (MediaPipe Selfie on tfjs)', () => {
  it('loads nothing at import or creation, and tfjs with the model at the first segment', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'lazyLoadProbe.ts')], {
      cwd: join(import.meta.dirname, '../../..'),
    });
    const probe = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(probe).toEqual({ afterImport: false, afterCreate: false, afterSegment: true, maskLength: 20 * 30 });
  });

  it('loads the model from disk and answers a box-sized mask on a real frame', async () => {
    const frame = await decodeImage(join(TWO_BIRDS_DIR, '00000.jpg'), TWO_BIRDS_SIZE.width, TWO_BIRDS_SIZE.height);
    const box = { x: 100.4, y: 150.6, width: 61.3, height: 90.2 };
    const mask = await segmenter.segment(frame, box);
    expect(mask).toBeInstanceOf(Uint8Array);
    expect(mask).toHaveLength(61 * 90);
    // Not a constant: the model looked at the picture (a flat answer would mean a broken input).
    expect(Math.max(...mask)).toBeGreaterThan(Math.min(...mask));
  });

  it('sees no person in a flat grey frame', async () => {
    const mask = await segmenter.segment(grey(320, 240), { x: 100, y: 40, width: 80, height: 160 });
    expect(mask.filter((v) => v >= 128)).toHaveLength(0);
  });

  it('leaves no tensors behind: the count is flat over repeated calls', async () => {
    const { tf } = await import('../detect/tfjsForTests');
    const frame = grey(640, 360);
    const box: Box = { x: 300, y: 50, width: 90, height: 250 };
    await segmenter.segment(frame, box);
    const before = tf.memory().numTensors;
    // The model's weights live in this same tfjs instance (else the count below would prove nothing).
    expect(before).toBeGreaterThan(50);
    for (let i = 0; i < 20; i++) await segmenter.segment(frame, { ...box, x: box.x + i });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the missing model file', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lacuna-no-selfie-'));
    try {
      const e = await errorOf(createPersonSegmenter({ modelDir: empty }).segment(grey(64, 64), { x: 0, y: 0, width: 32, height: 32 }));
      expect(isLacunaError(e, 'MODEL_PACK_NOT_FOUND')).toBe(true);
      expect((e as Error).message).toContain(join(empty, 'selfie.json'));
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('names a damaged weights file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-bad-selfie-'));
    try {
      for (const f of ['selfie.json', 'selfie.bin']) await copyFile(join(humanModelsDir(), f), join(dir, f));
      await truncate(join(dir, 'selfie.bin'), 5000);
      const e = await errorOf(createPersonSegmenter({ modelDir: dir }).segment(grey(64, 64), { x: 0, y: 0, width: 32, height: 32 }));
      expect(isLacunaError(e, 'MODEL_PACK_INVALID')).toBe(true);
      expect((e as Error).message).toContain(join(dir, 'selfie.bin'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to run after dispose', async () => {
    const s = createPersonSegmenter();
    await s.segment(grey(32, 32), { x: 0, y: 0, width: 16, height: 16 });
    s.dispose();
    await expect(s.segment(grey(32, 32), { x: 0, y: 0, width: 16, height: 16 })).rejects.toThrow(/dispose/);
  });
});

describe.runIf(wizard !== null && wizard.width === 480 && wizard.height === 640)(
  "on ImageMagick's wizard (skipped: needs ImageMagick's `convert`, e.g. apt-get install imagemagick)",
  () => {
    it('marks the wizard and not the paper around him: tighter than his box', async () => {
      const frame = wizard!;
      // The box CenterNet (detect/createDetector.ts) gives the wizard, labelled "person" at 0.68.
      const box = { x: 77, y: 96.5, width: 222.4, height: 446.4 };
      const mask = await segmenter.segment(frame, box);
      const g = { x: 77, y: 97, width: 222, height: 446 };
      expect(mask).toHaveLength(g.width * g.height);
      let on = 0;
      let robe = 0;
      let robeOn = 0;
      let paper = 0;
      let paperOn = 0;
      for (let v = 0; v < g.height; v++) {
        for (let u = 0; u < g.width; u++) {
          const p = ((g.y + v) * frame.width + g.x + u) * 3;
          const [r, gr, b] = [frame.data[p], frame.data[p + 1], frame.data[p + 2]];
          const m = mask[v * g.width + u] >= 128;
          on += m ? 1 : 0;
          // His robe and hat are blue; the paper behind him is near white.
          if (b > r + 40 && b > gr + 40) {
            robe++;
            robeOn += m ? 1 : 0;
          }
          if (r > 225 && gr > 225 && b > 225) {
            paper++;
            paperOn += m ? 1 : 0;
          }
        }
      }
      // Both kinds are a good part of the box (about 35% blue, 34% white), so the ratios mean something.
      expect(robe).toBeGreaterThan(0.25 * g.width * g.height);
      expect(paper).toBeGreaterThan(0.25 * g.width * g.height);
      expect(robeOn / robe).toBeGreaterThan(0.9);
      expect(paperOn / paper).toBeLessThan(0.05);
      expect(on / (g.width * g.height)).toBeLessThan(0.6);
    });
  },
);

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDetector } from '../../src/engine/lite/detect/createDetector';
import { decodeFrames } from '../../src/engine/media/decode';
import { probeMedia } from '../../src/engine/media/probe';
import type { Frame } from '../../src/engine/media/types';
import { tempDir } from '../app/fixtures';
import { lacuna, resultOf } from './cliHarness';

/*
 * `lacuna remove` with the default engine (Lite) on real footage: the two budgies of
 * ../shared/fixtures/two-birds. What is removed is checked by running the detector on the output,
 * not by looking at the engine's own account of it.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');
const tmp = tempDir('lacuna-cli-remove-');
afterAll(() => tmp.cleanup());

async function frames(path: string, pixelFormat?: 'gray'): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of decodeFrames(await probeMedia(path), { ...(pixelFormat && { pixelFormat }) })) out.push(f);
  return out;
}

/** Birds the detector finds in frames 0, 8 and 17, as their centre x. */
async function birdsIn(path: string): Promise<number[][]> {
  const detector = createDetector();
  try {
    const all = await frames(path);
    const seen: number[][] = [];
    for (const i of [0, 8, 17]) {
      const found = await detector.detect(all[i], i);
      seen.push(found.filter((d) => d.label === 'bird').map((d) => d.box.x + d.box.width / 2));
    }
    return seen;
  } finally {
    detector.dispose();
  }
}

/** Share of matte pixels set in the left and right halves of a frame. */
function matteHalves(m: Frame): [number, number] {
  let left = 0;
  let right = 0;
  for (let y = 0; y < m.height; y++) {
    for (let x = 0; x < m.width; x++) {
      if (m.data[y * m.width + x] > 127) {
        if (x < m.width / 2) left++;
        else right++;
      }
    }
  }
  const half = (m.width * m.height) / 2;
  return [left / half, right / half];
}

describe.runIf(existsSync(TWO_BIRDS))('lacuna remove (Lite) on two-birds', () => {
  let source: number[][];
  beforeAll(async () => {
    const clip = join(tmp.dir, 'two-birds.mov');
    const run = await lacuna('transcode', TWO_BIRDS, '--fps', '25', '-o', clip);
    expect(run.code, run.stderr).toBe(0);
    source = await birdsIn(clip);
  });

  it('the source has two birds in each checked frame', () => {
    for (const xs of source) expect(xs).toHaveLength(2);
  });

  it('removes the bird on the left and leaves the right one, with a matte beside the take', async () => {
    const out = join(tmp.dir, 'left-removed.mov');
    const run = await lacuna('--json', 'remove', TWO_BIRDS, 'remove the bird on the left', '--fps', '25', '-o', out);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = resultOf(run) as { changed: boolean; explanation: string; matte: string };
    expect(result).toMatchObject({ changed: true, explanation: expect.stringMatching(/^matched 1 of 2 birds: the left one(;|$)/) });
    expect(run.lines.some((l) => l.type === 'progress' && l.stage === 'filling')).toBe(true);

    const info = await probeMedia(out);
    expect(info.video).toMatchObject({ width: 568, height: 320, frameCount: 18, fps: { num: 25, den: 1 } });
    const after = await birdsIn(out);
    after.forEach((xs, k) => {
      expect(xs, `frame ${[0, 8, 17][k]}`).toHaveLength(1);
      expect(xs[0]).toBeCloseTo(Math.max(...source[k]), -1); // the right bird, where it was
    });
    const matte = await frames(result.matte, 'gray');
    expect(matte).toHaveLength(18);
    for (const m of matte) {
      const [left, right] = matteHalves(m);
      expect(left).toBeGreaterThan(0.005);
      expect(right).toBe(0);
    }
  });

  it('removes both birds when asked for both', async () => {
    const out = join(tmp.dir, 'both-removed.mov');
    const run = await lacuna('remove', TWO_BIRDS, 'remove both birds', '--fps', '25', '-o', out, '--no-matte');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('both birds: matched 2 of 2');
    for (const xs of await birdsIn(out)) expect(xs).toEqual([]);
    expect(existsSync(join(tmp.dir, 'both-removed_matte.mov'))).toBe(false);
  });

  it('leaves the clip untouched and says why when nothing matches', async () => {
    const out = join(tmp.dir, 'giraffe.mov');
    const run = await lacuna('--json', 'remove', TWO_BIRDS, 'remove the giraffe', '--fps', '25', '-o', out);
    expect(run.code).toBe(0);
    expect(resultOf(run)).toMatchObject({ changed: false, output: null });
    expect(String(resultOf(run).explanation)).toContain('no giraffe found in this clip (found: 2 birds)');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses words it cannot read, and objects it does not know, before decoding anything', async () => {
    const nonsense = await lacuna('remove', TWO_BIRDS, 'purple monkey dishwasher quickly', '--fps', '25');
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toMatch(/remove the/);
    const unknown = await lacuna('remove', TWO_BIRDS, 'remove the dinosaur', '--fps', '25');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('dinosaur');
  });
});

describe('lacuna remove --mask', () => {
  const ff = (...args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
  const clean = join(tmp.dir, 'clean-plate.mov');
  const clip = join(tmp.dir, 'plate.mov');
  const matte = join(tmp.dir, 'plate_matte.mkv');
  beforeAll(() => {
    // A still textured plate (one mandelbrot frame, held) with a red square sliding over it; the
    // matte is the square, a little larger. Locked off: every plate pixel shows in some frame.
    const plate = 'mandelbrot=size=480x270:rate=24,trim=end_frame=1,loop=loop=23:size=1,setpts=N/24/TB';
    // The clean plate takes the same filter path (the square off-screen), so both see the same conversions.
    const withSquare = (x: string, out: string) =>
      ff('-f', 'lavfi', '-i', plate, '-f', 'lavfi', '-i', 'color=red:size=40x40:rate=24', '-filter_complex', `[0][1]overlay=x='${x}':y=100:shortest=1`, '-c:v', 'prores_ks', '-profile:v', '3', out);
    withSquare('-1000', clean);
    withSquare('40+t*100', clip);
    ff('-f', 'lavfi', '-i', 'color=black:size=480x270:rate=24:duration=1', '-f', 'lavfi', '-i', 'color=white:size=48x48:rate=24',
      '-filter_complex', "[0][1]overlay=x='36+t*100':y=96:shortest=1,format=gray", '-c:v', 'ffv1', matte);
  });

  it('fills exactly the matte’s region from the frames where it is visible, and keeps the rest', async () => {
    const out = join(tmp.dir, 'plate_clean.mov');
    const run = await lacuna('--json', 'remove', clip, '--mask', matte, '-o', out);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(resultOf(run)).toMatchObject({ changed: true });
    const [truth, res] = [await frames(clean), await frames(out)];
    expect(res).toHaveLength(24);
    // Inside the square's path the restored plate matches the clean plate; elsewhere too.
    const psnr = (f: number, inside: boolean) => {
      let err = 0;
      let n = 0;
      for (let y = 0; y < 270; y++) {
        for (let x = 0; x < 480; x++) {
          if ((y >= 100 && y < 140) !== inside) continue;
          const i = (y * 480 + x) * 3;
          for (let c = 0; c < 3; c++) err += (res[f].data[i + c] - truth[f].data[i + c]) ** 2;
          n += 3;
        }
      }
      return 10 * Math.log10((255 * 255) / (err / n));
    };
    for (const f of [3, 12, 20]) {
      expect(psnr(f, true), `frame ${f} inside`).toBeGreaterThan(35);
      expect(psnr(f, false), `frame ${f} outside`).toBeGreaterThan(40);
    }
  });

  it('writes an image sequence when --out is a pattern, with the matte beside it', async () => {
    const folder = join(tmp.dir, 'clean-frames');
    mkdirSync(folder);
    const run = await lacuna('--json', 'remove', clip, '--mask', matte, '-o', join(folder, 'plate.%04d.png'));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(resultOf(run)).toMatchObject({ changed: true, matte: join(folder, 'plate_matte.mov') });
    const files = readdirSync(folder).sort();
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(24);
    expect(files[0]).toBe('plate.0000.png');
    expect(files.filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses an empty matte, saying what to check', async () => {
    const black = join(tmp.dir, 'black.mkv');
    ff('-f', 'lavfi', '-i', 'color=black:size=480x270:rate=24:duration=1,format=gray', '-c:v', 'ffv1', black);
    const run = await lacuna('remove', clip, '--mask', black, '-o', join(tmp.dir, 'never.mov'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the mask is empty');
    expect(existsSync(join(tmp.dir, 'never.mov'))).toBe(false);
  });
});

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { probeMedia } from '../../src/engine/media/probe';
import type { Frame } from '../../src/engine/media/types';
import { tempDir } from '../app/fixtures';
import { writeAnalyticPack } from '../helpers/fixturePacks';
import { lacuna, resultOf } from './cliHarness';

/*
 * `lacuna remove --engine lgvi --pack <pack>` on two-birds, with a generated pack of the real
 * contract (512x320 working size, 24-frame window) whose models compute known functions: the whole
 * path from the command line runs on the CPU, with progress, at source resolution, reproducibly
 * per seed, and with the source kept where the mask head marks nothing.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');
const tmp = tempDir('lacuna-cli-lgvi-');
let pack: Awaited<ReturnType<typeof writeAnalyticPack>>;
beforeAll(async () => {
  // The analytic pack's mask head marks bright regions (the lit blinds), so part of each frame is
  // removed and part is kept: both sides of the composite are exercised.
  pack = await writeAnalyticPack();
});
afterAll(async () => {
  await pack.cleanup();
  tmp.cleanup();
});

async function frames(path: string, gray = false): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of decodeFrames(await probeMedia(path), gray ? { pixelFormat: 'gray' } : {})) out.push(f);
  return out;
}

describe.runIf(existsSync(TWO_BIRDS))('lacuna remove --engine lgvi', () => {
  const run = (out: string, seed: string) =>
    lacuna('--json', 'remove', TWO_BIRDS, 'remove the bird on the left', '--fps', '25', '--engine', 'lgvi', '--pack', pack.dir, '--steps', '2', '--seed', seed, '-o', out);

  it('runs end to end on the CPU with progress per window and step, at source resolution', async () => {
    const out = join(tmp.dir, 'a.mov');
    const r = await run(out, '7');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const progress = r.lines.filter((l) => l.type === 'progress');
    expect(progress.some((l) => String(l.stage).startsWith('window 1/'))).toBe(true);
    const result = resultOf(r) as { changed: boolean; engine: string; params: { engine: string; seed: number; steps: number; modelPack: { id: string } }; matte: string | null };
    expect(result.engine).toBe('lgvi');
    expect(result.changed).toBe(true);
    expect(result.params).toMatchObject({ engine: 'lgvi', seed: 7, steps: 2 });
    const info = await probeMedia(out);
    expect(info.video).toMatchObject({ width: 568, height: 320, frameCount: 18 });
  });

  it('gives the same pictures for the same seed, and keeps the source outside the matte', async () => {
    const [a, b] = [join(tmp.dir, 's1.mov'), join(tmp.dir, 's2.mov')];
    const [r1, r2] = [await run(a, '3'), await run(b, '3')];
    expect(r1.code, r1.stderr).toBe(0);
    expect([resultOf(r1).changed, resultOf(r2).changed]).toEqual([true, true]);
    const [fa, fb] = [await frames(a), await frames(b)];
    expect(fa).toHaveLength(18);
    for (let i = 0; i < fa.length; i++) expect(Buffer.from(fa[i].data).equals(Buffer.from(fb[i].data)), `frame ${i}`).toBe(true);
    // Where the matte is black, the take is the source (up to the codec).
    const source = join(tmp.dir, 'source.mov');
    expect((await lacuna('transcode', TWO_BIRDS, '--fps', '25', '-o', source)).code).toBe(0);
    const [src, matte] = [await frames(source), await frames(String(resultOf(r1).matte), true)];
    let err = 0;
    let n = 0;
    // Pixels at least 8 px from any marked one (the codec's blocks straddle the matte's edge).
    const clear = (m: Frame, p: number) => {
      const x0 = p % m.width;
      const y0 = Math.floor(p / m.width);
      for (let y = Math.max(0, y0 - 8); y <= Math.min(m.height - 1, y0 + 8); y++) {
        for (let x = Math.max(0, x0 - 8); x <= Math.min(m.width - 1, x0 + 8); x++) if (m.data[y * m.width + x] !== 0) return false;
      }
      return true;
    };
    for (let f = 0; f < 18; f += 4) {
      for (let p = 0; p < matte[f].data.length; p += 7) {
        if (!clear(matte[f], p)) continue;
        for (let c = 0; c < 3; c++) err += (fa[f].data[p * 3 + c] - src[f].data[p * 3 + c]) ** 2;
        n += 3;
      }
    }
    expect(n).toBeGreaterThan(3000);
    expect(10 * Math.log10((255 * 255) / (err / n))).toBeGreaterThan(45);
  });

  it('--composite difference composites what the model changed beyond the VAE error, and says what each mask marked', async () => {
    const out = join(tmp.dir, 'difference.mov');
    const r = await lacuna('--json', 'remove', TWO_BIRDS, 'remove the bird on the left', '--fps', '25', '--engine', 'lgvi', '--pack', pack.dir, '--steps', '2', '--composite', 'difference', '-o', out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const result = resultOf(r) as { changed: boolean; explanation: string; params: { extra: { composite: string } } };
    expect(result.params.extra.composite).toBe('difference');
    // The analytic model barely changes the picture at this size beyond its VAE's (large) own error:
    // the difference mask finds nothing there and the explanation says what each mask marked.
    expect(result.changed).toBe(false);
    expect(result.explanation).toMatch(/^LGVI found nothing matching .*: the mask head marked \d+\.\d%, the change beyond the VAE's own error \(above \d+(–\d+)? of 255\) 0\.0%\); the clip is unchanged\.$/);
  });

  it('--composite full regenerates every pixel, as the reference, and says what the head marked; a bad mode is refused', async () => {
    const out = join(tmp.dir, 'full.mov');
    const r = await lacuna('--json', 'remove', TWO_BIRDS, 'remove the bird on the left', '--fps', '25', '--engine', 'lgvi', '--pack', pack.dir, '--steps', '1', '--composite', 'full', '-o', out);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const result = resultOf(r) as { changed: boolean; explanation: string; params: { extra: { fullFrame: boolean } } };
    expect(result.changed).toBe(true);
    expect(result.params.extra.fullFrame).toBe(true);
    expect(result.explanation).toMatch(/every pixel .*full frame.*mask head marked/);
    const bad = await lacuna('remove', TWO_BIRDS, 'remove the bird', '--fps', '25', '--engine', 'lgvi', '--pack', pack.dir, '--composite', 'everything');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--composite everything: use union (default), head');
    // The composite masks are LGVI's: Lite refuses them.
    const lite = await lacuna('remove', TWO_BIRDS, 'remove the bird', '--fps', '25', '--composite', 'difference');
    expect(lite.code).toBe(2);
    expect(lite.stderr).toContain('--composite do not apply to the Lite engine');
  });

  it('refuses LGVI-only options for Lite and a missing pack with the fix', async () => {
    const lite = await lacuna('remove', TWO_BIRDS, 'remove the bird', '--fps', '25', '--steps', '4');
    expect(lite.code).toBe(2);
    expect(lite.stderr).toContain('--steps do not apply to the Lite engine');
    const noPack = await lacuna('remove', TWO_BIRDS, 'remove the bird', '--fps', '25', '--engine', 'lgvi');
    expect(noPack.code).toBe(2);
    expect(noPack.stderr).toContain('--pack');
  });
});

/**
 * Quality benchmark of the Lite fill (issue 4, item 8): synthetic removals with exact ground truth,
 * the Lite fill beside a per-frame Telea baseline measured in the same run. Prints a table on
 * stderr, JSON on stdout, and writes .bench/quality-contact-sheet.png (per case: input, Lite,
 * Telea, truth at the middle frame).
 *   npx tsx bench/quality/index.ts [--frames N] [--quick]
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { writeFileAtomic } from '../../src/engine/util/atomicWrite';
import { fillClip } from '../../src/engine/lite/fill/fillClip';
import { teleaInpaint } from '../../src/engine/lite/fill/telea';
import type { RgbImage } from '../../src/engine/lite/types';
import { flickerBetween, holeSquaredError, psnrFrom, ssimLuma } from '../../src/engine/eval/imageMetrics';
import { encodePng } from './pngEncode';
import { buildScene, FRAME_H, FRAME_W, loadBackgrounds, loadSpriteTexture, type Scene } from './scenes';

const TARGET_LOCKED_DB = 40;
const TARGET_PAN_DB = 30;
const TARGET_MARGIN_DB = 6;

interface Scores {
  psnr: number;
  ssim: number;
  flicker: number;
  ms: number;
}

function score(scene: Scene, out: RgbImage[], ms: number): Scores {
  let se = 0;
  let sc = 0;
  let ss = 0;
  let sn = 0;
  let fs = 0;
  let fn = 0;
  for (let t = 0; t < out.length; t++) {
    const e = holeSquaredError(out[t], scene.truth[t], scene.masks[t]);
    se += e.sum;
    sc += e.count;
    const s = ssimLuma(out[t], scene.truth[t], scene.masks[t]);
    ss += s.sum;
    sn += s.count;
    if (t > 0) {
      const f = flickerBetween(out[t - 1], out[t], scene.truth[t - 1], scene.truth[t], scene.masks[t - 1], scene.masks[t]);
      fs += f.sum;
      fn += f.count;
    }
  }
  return { psnr: psnrFrom(se, sc), ssim: ss / sn, flicker: fs / fn, ms };
}

function runLite(scene: Scene): { out: RgbImage[]; scores: Scores; report: unknown } {
  const t0 = performance.now();
  const { frames, report } = fillClip(scene.frames, scene.masks, { feather: 0 });
  const ms = performance.now() - t0;
  return { out: frames, scores: score(scene, frames, ms), report };
}

function runTelea(scene: Scene): { out: RgbImage[]; scores: Scores } {
  const t0 = performance.now();
  const out = scene.frames.map((f, t) => {
    const img = { width: f.width, height: f.height, data: Uint8Array.from(f.data) };
    teleaInpaint(img, scene.masks[t].data.map((v) => (v ? 1 : 0)), 5);
    return img;
  });
  const ms = performance.now() - t0;
  return { out, scores: score(scene, out, ms) };
}

function contactSheet(rows: RgbImage[][]): RgbImage {
  const cols = rows[0]?.length ?? 0;
  const gap = 4;
  const width = cols * FRAME_W + (cols - 1) * gap;
  const height = rows.length * FRAME_H + (rows.length - 1) * gap;
  const data = new Uint8Array(width * height * 3).fill(255);
  rows.forEach((row, r) =>
    row.forEach((img, c) => {
      for (let y = 0; y < FRAME_H; y++) {
        const dst = ((r * (FRAME_H + gap) + y) * width + c * (FRAME_W + gap)) * 3;
        data.set(img.data.subarray(y * FRAME_W * 3, (y + 1) * FRAME_W * 3), dst);
      }
    }),
  );
  return { width, height, data };
}

const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : v > 0 ? 'inf' : 'nan');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const frameArg = argv.indexOf('--frames');
  const frameCount = frameArg >= 0 ? Number(argv[frameArg + 1]) : 24;
  const started = performance.now();
  const backgrounds = await loadBackgrounds(join(process.cwd(), '..', 'shared', 'fixtures', 'two-birds', '00000.jpg'));
  const sprite = await loadSpriteTexture();
  const cases: unknown[] = [];
  const sheetRows: RgbImage[][] = [];
  const lines: string[] = [];
  lines.push(
    'case                           | Lite PSNR  SSIM   flicker  ms    | Telea PSNR  SSIM   flicker | target      | met',
  );
  // Every background under both cameras with objects that cross the frame, plus one lingering-object
  // case on the first two backgrounds: there part of the background is never shown and the fill
  // must invent it (exemplar inpainting); those cases measure invention, not recovery.
  const plan = backgrounds.flatMap((bg, k) => [
    { bg, camera: 'locked-off' as const, lingering: false },
    { bg, camera: 'pan' as const, lingering: false },
    ...(k < 2 ? [{ bg, camera: 'locked-off' as const, lingering: true }] : []),
  ]);
  for (const { bg, camera, lingering } of plan) {
    {
      const scene = buildScene(bg, camera, sprite, frameCount, lingering);
      const lite = runLite(scene);
      const telea = runTelea(scene);
      const targetDb = camera === 'locked-off' ? TARGET_LOCKED_DB : TARGET_PAN_DB;
      const met = {
        absolute: lite.scores.psnr >= targetDb,
        aboveBaseline: lite.scores.psnr - telea.scores.psnr >= TARGET_MARGIN_DB,
        flickerBelowBaseline: lite.scores.flicker < telea.scores.flicker / 2,
      };
      let holePixels = 0;
      for (const m of scene.masks) for (let i = 0; i < m.data.length; i++) if (m.data[i]) holePixels++;
      const missed = [
        !met.absolute && `${fmt(lite.scores.psnr)} dB is below the ${targetDb} dB target`,
        !met.aboveBaseline && `only ${fmt(lite.scores.psnr - telea.scores.psnr)} dB above the Telea baseline`,
        !met.flickerBelowBaseline && 'flicker not below half the baseline\'s',
      ].filter(Boolean);
      const inpainted = (lite.report as { inpaintedPixels: number }).inpaintedPixels;
      const note = missed.length
        ? `${missed.join('; ')}. ` +
          (inpainted > 0
            ? `${inpainted} hole pixels (working resolution) were never visible in any frame; they were invented once by exemplar inpainting and carried to the other frames (hence the near-zero flicker), but no method can recover the true background there.`
            : 'All hole pixels were recovered from other frames; the shortfall is alignment/interpolation error.')
        : undefined;
      cases.push({
        case: scene.name,
        lingering,
        background: scene.background,
        camera,
        frames: frameCount,
        size: `${FRAME_W}x${FRAME_H}`,
        holeShare: holePixels / (frameCount * FRAME_W * FRAME_H),
        lite: lite.scores,
        liteReport: lite.report,
        telea: telea.scores,
        target: { psnrDb: targetDb, marginOverBaselineDb: TARGET_MARGIN_DB },
        met,
        note,
      });
      lines.push(
        `${scene.name.padEnd(30)} | ${fmt(lite.scores.psnr).padStart(9)} ${fmt(lite.scores.ssim, 4)} ${fmt(lite.scores.flicker).padStart(7)} ${fmt(lite.scores.ms, 0).padStart(6)} | ${fmt(telea.scores.psnr).padStart(10)} ${fmt(telea.scores.ssim, 4)} ${fmt(telea.scores.flicker).padStart(7)} | ≥${targetDb} dB, +${TARGET_MARGIN_DB} | ${met.absolute && met.aboveBaseline && met.flickerBelowBaseline ? 'yes' : 'NO'}`,
      );
      const mid = frameCount >> 1;
      sheetRows.push([scene.frames[mid], lite.out[mid], telea.out[mid], scene.truth[mid]]);
    }
  }
  await mkdir('.bench', { recursive: true });
  const sheetPath = join('.bench', 'quality-contact-sheet.png');
  await writeFileAtomic(sheetPath, encodePng(contactSheet(sheetRows)));
  lines.push(`contact sheet (input | Lite | Telea | truth): ${sheetPath}`);
  for (const c of cases as { case: string; note?: string }[]) if (c.note) lines.push(`note ${c.case}: ${c.note}`);
  process.stderr.write(lines.join('\n') + '\n');
  const result = {
    bench: 'quality',
    cpus: cpus().length,
    seconds: (performance.now() - started) / 1000,
    contactSheet: sheetPath,
    cases,
  };
  process.stdout.write(JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

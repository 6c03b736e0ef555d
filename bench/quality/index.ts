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
import { buildHarderScene, type HarderKind, type HarderScene } from './harderScenes';
import { fillClip as fillWindow, type FillOptions } from '../../src/engine/lite/fill/fillClip';
import { planWindows } from '../../src/engine/removal/windowPlan';
import { blendWeights } from '../../src/engine/removal/blendWeights';
import { windowOutputs } from '../../src/engine/lite/windowOutputs';

const TARGET_LOCKED_DB = 40;
const TARGET_PAN_DB = 30;
const TARGET_MARGIN_DB = 6;

interface Scores {
  psnr: number;
  ssim: number;
  flicker: number;
  ms: number;
}

function score(scene: Scene & { scored?: Scene['masks'] }, out: RgbImage[], ms: number): Scores {
  const region = scene.scored ?? scene.masks;
  let se = 0;
  let sc = 0;
  let ss = 0;
  let sn = 0;
  let fs = 0;
  let fn = 0;
  for (let t = 0; t < out.length; t++) {
    const e = holeSquaredError(out[t], scene.truth[t], region[t]);
    se += e.sum;
    sc += e.count;
    const s = ssimLuma(out[t], scene.truth[t], region[t]);
    ss += s.sum;
    sn += s.count;
    if (t > 0) {
      const f = flickerBetween(out[t - 1], out[t], scene.truth[t - 1], scene.truth[t], region[t - 1], region[t]);
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

/** The Lite fill with options, whole clip at once, or in windows cross-faded as the engine does. */
function runLiteWith(scene: HarderScene, options: FillOptions, window = 0): { out: RgbImage[]; scores: Scores; report: unknown } {
  const t0 = performance.now();
  const n = scene.frames.length;
  let out: RgbImage[];
  let report: unknown;
  if (!window || n <= window) {
    const r = fillWindow(scene.frames, scene.masks, { ...options, ...(scene.exclude && { exclude: scene.exclude }) });
    out = r.frames;
    report = r.report;
  } else {
    // As the engine does (liteWindowPlan): every window's frames are sources, each fills its outputs.
    const plan = planWindows(n, { window, overlap: 8, stride: 1 });
    const output = windowOutputs(plan, 8);
    const weights = blendWeights(output);
    const acc = scene.frames.map((f) => new Float64Array(f.data.length));
    const reports: unknown[] = [];
    plan.windows.forEach((w, k) => {
      const o = output.windows[k];
      const targets = { start: o.start - w.start, end: o.end - w.start };
      const r = fillWindow(scene.frames.slice(w.start, w.end), scene.masks.slice(w.start, w.end), { ...options, targets, ...(scene.exclude && { exclude: scene.exclude.slice(w.start, w.end) }) });
      reports.push(r.report);
      r.frames.forEach((f, i) => {
        const a = acc[o.start + i];
        const wt = weights[k][i];
        for (let j = 0; j < a.length; j++) a[j] += wt * f.data[j];
      });
    });
    out = acc.map((a, t) => ({ width: scene.frames[t].width, height: scene.frames[t].height, data: Uint8Array.from(a, (v) => Math.round(v)) }));
    report = { windows: plan.windows.length, inpaintedPixels: reports.reduce((s: number, r) => s + (r as { inpaintedPixels: number }).inpaintedPixels, 0) };
  }
  const ms = performance.now() - t0;
  return { out, scores: score(scene, out, ms), report };
}

/**
 * Scores on the hole pixels where the truth shows another object passing behind the removed one
 * (HarderScene.behindHole), with the note that says why they are apart from the target.
 */
function behindHoleScores(scene: HarderScene, behind: HarderScene['scored'], lite: RgbImage[], telea: RgbImage[]) {
  const pixels = behind.reduce((n, m) => n + m.data.reduce((c, v) => c + (v ? 1 : 0), 0), 0);
  const part = { ...scene, scored: behind };
  const scores = { pixels, litePsnr: score(part, lite, 0).psnr, teleaPsnr: score(part, telea, 0).psnr };
  const note =
    `scored on the hole where the truth shows background; the other ${pixels} hole pixels (over the clip) show the other object passing behind the removed one, ` +
    `which no frame shows there: Lite fills them with background, as it never copies another object (${fmt(scores.litePsnr)} dB there against the truth, Telea ${fmt(scores.teleaPsnr)} dB)`;
  return { scores, note };
}

/** What a shadow case's figure is made of: how much of the cast shadow was relit, and the error over the object and over its shadow apart. */
function shadowNote(scene: HarderScene, options: FillOptions, report: unknown, out: RgbImage[]): string {
  const shadowOnly = scene.scored.map((m, t) => ({ ...m, data: m.data.map((v, i) => (v && !scene.masks[t].data[i] ? 255 : 0)) }));
  const shadow = shadowOnly.reduce((n, m) => n + m.data.reduce((c, v) => c + (v ? 1 : 0), 0), 0);
  const parts = `object ${fmt(score({ ...scene, scored: scene.masks }, out, 0).psnr)} dB, shadow ${fmt(score({ ...scene, scored: shadowOnly }, out, 0).psnr)} dB`;
  if (!options.withShadow) return `without --with-shadow the cast shadow (${shadow} px over the clip, scored) stays by design: this case is the reference for the next (${parts})`;
  const found = (report as { shadowPixels?: number }).shadowPixels ?? 0;
  return `--with-shadow relit ${found} px for the ${shadow} px of cast shadow (${Math.round((100 * found) / Math.max(1, shadow))} %); the error is split as ${parts}`;
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
  for (const { bg, camera, lingering } of argv.includes('--only-new') ? [] : plan) {
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
  // Issue 14's scenes on the photo (or the first) background, and a 300-frame pan filled in the
  // engine's 48-frame windows (drift over a long clip). Targets: >= 35 dB where the background is
  // ever visible, >= 6 dB above Telea, flicker at most a third of Telea's.
  const base = backgrounds[0];
  const harder: { scene: HarderScene; label: string; options: FillOptions; window?: number }[] = [];
  for (const kind of ['soft-edge', 'moving-light', 'distractor', 'shadow'] as HarderKind[]) {
    const scene = buildHarderScene(kind, base, sprite, frameCount);
    harder.push({ scene, label: scene.name, options: {} });
    if (kind === 'shadow') harder.push({ scene, label: `${scene.name} --with-shadow`, options: { withShadow: true } });
  }
  if (!argv.includes('--no-long')) {
    const long = buildScene(base, 'pan', sprite, 300, false);
    harder.push({ scene: { ...long, name: `${base.name}/pan-300-frames`, kind: 'long', scored: long.masks }, label: `${base.name}/pan-300 (48-frame windows)`, options: {}, window: 48 });
  }
  for (const h of harder) {
    const lite = runLiteWith(h.scene, h.options, h.window);
    const telea = runTelea(h.scene);
    const targetDb = 35;
    const met = {
      absolute: lite.scores.psnr >= targetDb,
      aboveBaseline: lite.scores.psnr - telea.scores.psnr >= TARGET_MARGIN_DB,
      flickerBelowBaseline: lite.scores.flicker <= telea.scores.flicker / 3,
    };
    const missed = [
      !met.absolute && `${fmt(lite.scores.psnr)} dB is below the ${targetDb} dB target`,
      !met.aboveBaseline && `only ${fmt(lite.scores.psnr - telea.scores.psnr)} dB above the Telea baseline`,
      !met.flickerBelowBaseline && "flicker above a third of the baseline's",
    ].filter(Boolean);
    // The distractor's hole where the truth shows the other object behind the removed one: reported, not targeted.
    const behind = h.scene.behindHole && behindHoleScores(h.scene, h.scene.behindHole, lite.out, telea.out);
    if (behind) missed.push(behind.note);
    if (h.scene.kind === 'shadow') missed.push(shadowNote(h.scene, h.options, lite.report, lite.out));
    cases.push({ case: h.label, kind: h.scene.kind, ...(behind && { behindHole: behind.scores }), frames: h.scene.frames.length, size: `${FRAME_W}x${FRAME_H}`, lite: lite.scores, liteReport: lite.report, telea: telea.scores, target: { psnrDb: targetDb, marginOverBaselineDb: TARGET_MARGIN_DB, flickerShareOfBaseline: 1 / 3 }, met, ...(missed.length && { note: missed.join('; ') }) });
    lines.push(
      `${h.label.padEnd(30)} | ${fmt(lite.scores.psnr).padStart(9)} ${fmt(lite.scores.ssim, 4)} ${fmt(lite.scores.flicker).padStart(7)} ${fmt(lite.scores.ms, 0).padStart(6)} | ${fmt(telea.scores.psnr).padStart(10)} ${fmt(telea.scores.ssim, 4)} ${fmt(telea.scores.flicker).padStart(7)} | ≥${targetDb} dB, +${TARGET_MARGIN_DB} | ${met.absolute && met.aboveBaseline && met.flickerBelowBaseline ? 'yes' : 'NO'}`,
    );
    const mid = h.scene.frames.length >> 1;
    sheetRows.push([h.scene.frames[mid], lite.out[mid], telea.out[mid], h.scene.truth[mid]]);
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

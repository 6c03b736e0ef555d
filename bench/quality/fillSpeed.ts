/**
 * Speed of the Lite mask and fill stages on two cores, at the fixture clip's size (568x320) and at
 * 1080p (filled at the 960 px working resolution, composited at 1920x1080). A disc crosses a
 * panning background; the tracks' boxes come from its known position, so this times masks + fill
 * only (decode, detection and encode are timed elsewhere).
 *   npx tsx bench/quality/fillSpeed.ts [--frames N]
 */
import { runProcess } from '../../src/engine/util/runProcess';
import { fillClip } from '../../src/engine/lite/fill/fillClip';
import { buildTrackMasks } from '../../src/engine/lite/mask/trackMasks';
import type { Box, RgbImage, Track } from '../../src/engine/lite/types';

async function background(width: number, height: number): Promise<RgbImage> {
  const { stdout } = await runProcess(
    'ffmpeg',
    ['-v', 'error', '-f', 'lavfi', '-i', `mandelbrot=s=${width}x${height}:start_scale=0.3:end_scale=0.3:maxiter=120`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
    { what: 'ffmpeg (speed bench background)' },
  );
  return { width, height, data: new Uint8Array(stdout) };
}

async function clipAt(width: number, height: number, frames: number) {
  const pan = Math.round(width * 0.004);
  const bg = await background(width + pan * frames, height);
  const shown: RgbImage[] = [];
  const boxes: (Box | null)[] = [];
  const r = Math.round(height * 0.09);
  for (let t = 0; t < frames; t++) {
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      const src = (y * bg.width + pan * t) * 3;
      data.set(bg.data.subarray(src, src + width * 3), y * width * 3);
    }
    const cx = Math.round(width * 0.2 + t * width * 0.02);
    const cy = Math.round(height / 2);
    for (let y = cy - r; y <= cy + r; y++) {
      for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) data.fill(220, 3 * (y * width + x), 3 * (y * width + x) + 3);
    }
    shown.push({ width, height, data });
    boxes.push({ x: cx - r * 1.2, y: cy - r * 1.2, width: r * 2.4, height: r * 2.4 });
  }
  const track: Track = { id: 1, label: 'ball', score: 1, firstFrame: 0, lastFrame: frames - 1, boxes, predicted: boxes.map(() => false) };
  return { shown, track };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--frames');
  const frames = i >= 0 ? Number(argv[i + 1]) : 24;
  const results = [];
  for (const [width, height] of [
    [568, 320],
    [1920, 1080],
  ]) {
    const { shown, track } = await clipAt(width, height, frames);
    // One warm-up pass on a short window so JIT compilation is not billed to the first size.
    fillClip(shown.slice(0, 3), buildTrackMasks(shown.slice(0, 4), [{ ...track, boxes: track.boxes.slice(0, 4) }]).slice(0, 3));
    const t0 = performance.now();
    const masks = buildTrackMasks(shown, [track], { dilate: 4 });
    const t1 = performance.now();
    const { report } = fillClip(shown, masks, { feather: 2 });
    const t2 = performance.now();
    results.push({
      size: `${width}x${height}`,
      frames,
      working: `${report.workingWidth}x${report.workingHeight}`,
      masksMsPerFrame: (t1 - t0) / frames,
      fillMsPerFrame: (t2 - t1) / frames,
      fps: (frames * 1000) / (t2 - t0),
      inpaintedPixels: report.inpaintedPixels,
    });
  }
  process.stdout.write(JSON.stringify({ bench: 'lite-fill-speed', results }, null, 2) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

/**
 * Lite detector bench: `npx tsx bench/lite-detect.ts [--frames N] [--leak N] [--models centernet,nanodet] [--runtimes onnxruntime,tfjs]`
 * prints JSON with, per model and runtime (onnxruntime only for a model that converts):
 *  - speed: ms per frame at 568x320 (two-birds) and 1920x1080, wall and CPU time, the letterbox
 *    resample (part of the cost) measured on its own; medians over N frames after a warm-up;
 *  - quality on two-birds and variants of it (mirrored, cropped, halved, upscaled to 1080p):
 *    frames where exactly the two budgies were found as "bird", mean bird score, non-bird boxes;
 *  - leak: tfjs tensor count and RSS before/after `--leak` detections (the first model, each runtime).
 * Run it on a quiet machine restricted to two cores (`taskset -c 0,1`) for numbers to report;
 * the load average at start and end is printed so contended runs can be recognised.
 */
import { readdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createDetector, usesOnnxRuntime, type DetectorModelName, type DetectorOptions } from '../src/engine/lite/detect/createDetector';
import { onnxInputSize } from '../src/engine/lite/detect/onnxDetectorRunner';
import { letterboxFor } from '../src/engine/lite/detect/letterbox';
import { LetterboxResampler } from '../src/engine/lite/detect/resampleToInput';
import type { RgbImage } from '../src/engine/lite/types';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { runProcess } from '../src/engine/util/runProcess';

const TWO_BIRDS = resolve(import.meta.dirname, '../../shared/fixtures/two-birds');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function decode(path: string, width: number, height: number, filter: string): Promise<RgbImage> {
  const { stdout } = await runProcess(ffmpegPaths().ffmpeg, ['-v', 'error', '-i', path, '-vf', filter, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  if (stdout.length !== width * height * 3) throw new Error(`${path} via ${filter}: got ${stdout.length} bytes`);
  return { width, height, data: new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength) };
}

/** Variants that keep both birds in view (they sit at x 105..415 of 568 over the clip). */
const VARIANTS = [
  { name: 'original 568x320', width: 568, height: 320, filter: 'null' },
  { name: 'mirrored', width: 568, height: 320, filter: 'hflip' },
  { name: 'cropped 400x320', width: 400, height: 320, filter: 'crop=400:320:60:0' },
  { name: 'halved 284x160', width: 284, height: 160, filter: 'scale=284:160:flags=area' },
  { name: 'upscaled 1920x1080', width: 1920, height: 1080, filter: 'scale=1920:1080:flags=bicubic' },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function speed(model: DetectorOptions, image: RgbImage, frames: number) {
  const detector = createDetector(model);
  await detector.detect(image, 0); // load + warm-up
  await detector.detect(image, 0);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < frames; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await detector.detect(image, i);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const info = detector.info();
  detector.dispose();
  const input = info!.backend === 'onnxruntime' ? onnxInputSize(info!.inputSize, 32, image.width, image.height) : { width: info!.inputSize, height: info!.inputSize };
  const rs = new LetterboxResampler(letterboxFor(image.width, image.height, input.width, input.height));
  const buf = new Float32Array(input.width * input.height * 3);
  const resample: number[] = [];
  for (let i = 0; i < Math.max(5, frames); i++) {
    const c0 = process.cpuUsage();
    rs.run(image, buf);
    const c = process.cpuUsage(c0);
    resample.push((c.user + c.system) / 1000);
  }
  return {
    size: `${image.width}x${image.height}`,
    wallMsPerFrame: round(median(wall)),
    cpuMsPerFrame: round(median(cpu)),
    fps: round(1000 / median(wall), 2),
    resampleCpuMs: round(median(resample), 2),
    backend: info,
    input: `${input.width}x${input.height}`,
  };
}

async function quality(model: DetectorOptions, files: string[]) {
  const detector = createDetector(model);
  const rows = [];
  for (const v of VARIANTS) {
    let exactlyTwo = 0;
    let birdScores = 0;
    let birdCount = 0;
    let otherBoxes = 0;
    for (const f of files) {
      const found = await detector.detect(await decode(join(TWO_BIRDS, f), v.width, v.height, v.filter), 0);
      const birds = found.filter((d) => d.label === 'bird');
      if (birds.length === 2) exactlyTwo++;
      birdCount += birds.length;
      birdScores += birds.reduce((s, d) => s + d.score, 0);
      otherBoxes += found.length - birds.length;
    }
    rows.push({ variant: v.name, frames: files.length, framesWithExactlyTwoBirds: exactlyTwo, meanBirdScore: round(birdScores / Math.max(1, birdCount), 3), nonBirdBoxes: otherBoxes });
  }
  detector.dispose();
  return rows;
}

async function leak(model: DetectorOptions, image: RgbImage, frames: number) {
  const tf = await import('@tensorflow/tfjs-core');
  const detector = createDetector(model);
  await detector.detect(image, 0);
  // onnxruntime's runs hold no tfjs tensors (tfjs may not even be started).
  const tensors = () => (detector.info()?.backend === 'onnxruntime' ? undefined : tf.memory().numTensors);
  const before = { tensors: tensors(), rssMb: round(process.memoryUsage().rss / 2 ** 20) };
  for (let i = 0; i < frames; i++) await detector.detect(image, i);
  const after = { tensors: tensors(), rssMb: round(process.memoryUsage().rss / 2 ** 20) };
  detector.dispose();
  return { frames, before, after };
}

const frames = Number(arg('frames', '10'));
const leakFrames = Number(arg('leak', '200'));
const models = arg('models', 'centernet,nanodet').split(',') as DetectorModelName[];
const files = (await readdir(TWO_BIRDS)).filter((f) => f.endsWith('.jpg')).sort();
const small = await decode(join(TWO_BIRDS, files[0]), 568, 320, 'null');
const hd = await decode(join(TWO_BIRDS, files[0]), 1920, 1080, 'scale=1920:1080:flags=bicubic');
const loadStart = loadavg()[0];
const result: Record<string, unknown> = { cpus: `${(await import('node:os')).cpus().length} visible`, loadAverageAtStart: round(loadStart, 2) };
const runtimes = arg('runtimes', 'onnxruntime,tfjs').split(',') as NonNullable<DetectorOptions['runtime']>[];
for (const name of models) {
  for (const runtime of runtimes) {
    const model: DetectorOptions = { model: name, runtime };
    if (runtime === 'onnxruntime' && !usesOnnxRuntime(model)) continue;
    result[`${name} ${runtime}`] = {
      speed: [await speed(model, small, frames), await speed(model, hd, frames)],
      quality: await quality(model, files),
      leak: name === models[0] ? await leak(model, small, leakFrames) : undefined,
    };
  }
}
result.loadAverageAtEnd = round(loadavg()[0], 2);
console.log(JSON.stringify(result, null, 2));

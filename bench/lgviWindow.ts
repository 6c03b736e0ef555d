// P3: the LGVI engine's own (host) time per 24-frame window: everything the engine does around the
// models (decoding and resizing the source, building feeds, guidance and scheduler arithmetic,
// VAE batching, blending, the mask's upsampling/dilation/feathering, compositing, the encoders'
// pipes), i.e. the wall time of a removal minus the time spent inside session.run, divided by
// ffmpeg's own decode of the same 24 frames at source resolution. The pack is the bench fixture:
// analytic models at LGVI's real I/O sizes (512x320, 24 frames, latents 24x40x64, image-size
// mask), so session.run is cheap and the host share is what is measured.
//
// Per window means in a clip of many windows: each window's denoising loop runs on the model's
// thread while the host decodes the next window ahead and composites and encodes the previous one
// (sampleKeyframes, renderRemoval), so a long clip's cost per window is the marginal one, measured
// as the host time of a 7-window removal less that of a 1-window removal, over 6. Session time is
// what the onnxruntime thread measures inside session.run. The 1-window removal's host time is reported
// beside it: it is the job's fixed cost (the first decode before the model can start, the last
// window's compositing and encoding after it is done), paid once per job.
//
// On a CPU-only machine the model's run and the host work share the cores; `deviceLike` repeats
// the measure with onnxruntime on one thread, leaving the others to the host as a GPU would.
//
// Beside the ratio, each result gives `pipesOnlySeconds`: the same decode and the same two encodes
// (the take in the bench's codec and the ProRes matte, as renderRemoval runs them) with no model
// and no image work, run one after the other: the CPU work that has to hide behind the model.
//
// Standalone: `npx tsx bench/lgviWindow.ts` prints one JSON object.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeFrames } from '../src/engine/media/decode';
import { encodeFrames } from '../src/engine/media/encode';
import { takeEncoding } from '../src/engine/media/takeEncoding';
import type { DeliveryCodec, Frame } from '../src/engine/media/types';
import { createLgviEngine } from '../src/engine/lgvi/lgviEngine';
import { sharedOrtThread } from '../src/engine/lgvi/pack/ortThread';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { probeMedia } from '../src/engine/media/probe';
import type { MediaInfo } from '../src/engine/media/types';
import { writeBenchPack } from '../test/helpers/fixturePacks';
import { BENCH_DIR, benchClip } from './benchClips';
import { measuredRun } from './measuredRun';
import { runProcess } from '../src/engine/util/runProcess';

export const P3_GOAL = 1.0;
const FRAMES = 24;
const STEPS = 50;
const REPEATS = 2;
const TWO_BIRDS = join(import.meta.dirname, '../../shared/fixtures/two-birds');

const round = (x: number) => Math.round(x * 1000) / 1000;

/** ffmpeg's decode of the first 24 frames to raw RGB at source size, fastest of three. */
async function ffmpegDecodeSeconds(media: MediaInfo): Promise<number> {
  const input = media.source.kind === 'file' ? ['-i', media.source.path] : ['-framerate', '25', '-start_number', '0', '-i', join(TWO_BIRDS, '%05d.jpg')];
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...input, '-frames:v', String(FRAMES), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-y', '/dev/null'];
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, (await measuredRun(ffmpegPaths().ffmpeg, args)).wallSeconds);
  return best;
}

const TAKE_CODEC: DeliveryCodec = 'prores_hq';

/**
 * The engine's ffmpeg pipes alone: the range decoded at the take's size, then encoded as the
 * take (the source frames unchanged) and as its gray ProRes matte side by side, with the encoder
 * settings renderRemoval uses. Fastest of two.
 */
async function pipesOnlySeconds(media: MediaInfo, outDir: string, frames: number): Promise<number> {
  const range = { start: 0, end: frames };
  const { options } = takeEncoding(media, range, TAKE_CODEC);
  const signal = new AbortController().signal;
  // A matte like the analytic head's (half the frame, hard-edged): ProRes's cost depends on the
  // content, and a noisy matte would take several times longer than any real one.
  const halfMatte = new Uint8Array(options.width * options.height);
  for (let y = 0; y < options.height; y++) halfMatte.fill(255, y * options.width, y * options.width + (options.width >> 1));
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    const decoded: Frame[] = [];
    for await (const f of decodeFrames(media, { range, width: options.width, height: options.height, signal, ffmpeg: ffmpegPaths() })) decoded.push(f);
    async function* take() {
      yield* decoded;
    }
    async function* matte() {
      for (const f of decoded) yield { ...f, channels: 1 as const, data: halfMatte };
    }
    const common = { ...options, overwrite: true, signal, ffmpeg: ffmpegPaths() };
    await Promise.all([
      encodeFrames(take(), { ...common, output: join(outDir, 'pipes.mov'), codec: TAKE_CODEC }),
      encodeFrames(matte(), { ...common, audioFrom: undefined, output: join(outDir, 'pipes.matte.mov'), codec: 'prores_hq', pixelFormat: 'gray' }),
    ]);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  await rm(join(outDir, 'pipes.mov'), { force: true });
  await rm(join(outDir, 'pipes.matte.mov'), { force: true });
  return best;
}

async function removal(media: MediaInfo, packDir: string, outDir: string, frames: number, engineSettings: Record<string, unknown> = { steps: STEPS }, ortThreads?: number) {
  // Time inside onnxruntime's session.run, as the onnxruntime thread measures it around each run
  // (also the runs of a denoising loop that runs on that thread): everything else is host time.
  const stats = sharedOrtThread().stats;
  const before = { runs: stats.runs, runSeconds: stats.runSeconds };
  const engine = createLgviEngine({
    packDir,
    // scripts/gpu-check.sh sets LACUNA_PROVIDER=cuda; the CPU otherwise.
    providers: process.env.LACUNA_PROVIDER === 'cuda' ? 'cuda' : 'cpu',
    ...(ortThreads ? { tuning: { intraOpNumThreads: ortThreads } } : {}),
  });
  const output = { file: join(outDir, 'take.mov'), codec: TAKE_CODEC, matteFile: join(outDir, 'take.matte.mov') };
  const t0 = performance.now();
  const outcome = await engine.remove(
    {
      media,
      range: { start: 0, end: frames },
      target: { kind: 'expression', text: 'remove the bird on the left' },
      settings: { seed: 1, maskDilate: 8, maskFeather: 2, fullFrame: false, engine: engineSettings },
      output,
    },
    { signal: new AbortController().signal, progress: () => {}, warn: () => {}, ffmpeg: ffmpegPaths() },
  );
  const wallSeconds = (performance.now() - t0) / 1000;
  const runSeconds = stats.runSeconds - before.runSeconds;
  const runs = stats.runs - before.runs;
  await rm(output.file, { force: true });
  await rm(output.matteFile, { force: true });
  return { wallSeconds, runSeconds, hostSeconds: wallSeconds - runSeconds, runs, explanation: outcome.explanation };
}

/** Windows in the long-clip run: 24 + 6 x 16 frames with the default overlap of 8 (six marginal windows: the difference of two timings is spread over more of them). */
const LONG_WINDOWS = 7;
const LONG_FRAMES = FRAMES + (LONG_WINDOWS - 1) * (FRAMES - 8);

/** Host seconds of the fastest of `REPEATS` removals of `frames` frames. */
async function fastestHost(media: MediaInfo, packDir: string, outDir: string, frames: number, ortThreads?: number) {
  const all = [];
  for (let i = 0; i < REPEATS; i++) all.push(await removal(media, packDir, outDir, frames, { steps: STEPS }, ortThreads));
  return { best: all.reduce((a, b) => (b.hostSeconds < a.hostSeconds ? b : a)), all };
}

/** One window alone, and per window in a long clip (marginal), on a clip with at least LONG_FRAMES frames. */
async function measureLong(label: string, media: MediaInfo, packDir: string, outDir: string, decodePer24: number, ortThreads?: number) {
  const one = await fastestHost(media, packDir, outDir, FRAMES, ortThreads);
  const long = await fastestHost(media, packDir, outDir, LONG_FRAMES, ortThreads);
  const perWindow = (long.best.hostSeconds - one.best.hostSeconds) / (LONG_WINDOWS - 1);
  return {
    source: label,
    size: `${media.video!.displayWidth}x${media.video!.displayHeight}`,
    onnxruntimeThreads: ortThreads ?? 'default',
    steps: STEPS,
    // The analytic head marks bright areas, so on testsrc2 it covers much of the frame: the matte's
    // dilation and feathering then run over the whole frame (a real object mask costs its area).
    mask: one.best.explanation,
    oneWindow: { wallSeconds: round(one.best.wallSeconds), sessionRunSeconds: round(one.best.runSeconds), hostSeconds: round(one.best.hostSeconds), allHostSeconds: one.all.map((r) => round(r.hostSeconds)) },
    [`${LONG_WINDOWS}Windows`]: { frames: LONG_FRAMES, wallSeconds: round(long.best.wallSeconds), sessionRunSeconds: round(long.best.runSeconds), hostSeconds: round(long.best.hostSeconds), allHostSeconds: long.all.map((r) => round(r.hostSeconds)) },
    hostSecondsPerWindow: round(perWindow),
    ffmpegDecodeSeconds: round(decodePer24),
    ratio: round(perWindow / decodePer24),
    oneWindowRatio: round(one.best.hostSeconds / decodePer24),
  };
}

/** A short clip (two-birds: 18 frames): one window, its host time scaled to 24 frames. */
async function measureShort(label: string, media: MediaInfo, packDir: string, outDir: string) {
  const frames = Math.min(FRAMES, media.video!.frameCount);
  const decodePer24 = ((await ffmpegDecodeSeconds(media)) * FRAMES) / frames;
  const { best, all } = await fastestHost(media, packDir, outDir, frames);
  const host = (best.hostSeconds * FRAMES) / frames;
  return {
    source: label,
    size: `${media.video!.displayWidth}x${media.video!.displayHeight}`,
    framesRun: frames,
    mask: best.explanation,
    wallSeconds: round(best.wallSeconds),
    sessionRunSeconds: round(best.runSeconds),
    oneWindowHostSecondsPer24: round(host),
    allHostSeconds: all.map((r) => round(r.hostSeconds)),
    ffmpegDecodeSeconds: round(decodePer24),
    oneWindowRatio: round(host / decodePer24),
  };
}

/**
 * What a frame stride saves: a 100-frame 568x320 clip at stride 1 and stride 5 (10 steps). Only
 * speed can be measured here; whether stride 5 looks better (the model's training spacing) needs
 * the real weights.
 */
async function strideComparison(packDir: string, outDir: string) {
  const clip = join(BENCH_DIR, 'clip-568x320-100f.mov');
  await runProcess(ffmpegPaths().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=568x320:rate=25:duration=4', '-c:v', 'prores_ks', '-profile:v', '3', clip]);
  const media = await probeMedia(clip);
  const out: Record<string, unknown> = {};
  for (const stride of [1, 5]) {
    const r = await removal(media, packDir, outDir, 100, { steps: 10, stride });
    out[`stride${stride}`] = { wallSeconds: round(r.wallSeconds), sessionRuns: r.runs, sessionRunSeconds: round(r.runSeconds) };
  }
  return out;
}

export async function runP3() {
  await mkdir(BENCH_DIR, { recursive: true });
  const packDir = join(BENCH_DIR, 'lgvi-bench-pack');
  await rm(packDir, { recursive: true, force: true });
  await mkdir(packDir, { recursive: true });
  await writeBenchPack({ dir: packDir });
  const outDir = join(BENCH_DIR, 'p3-out');
  await mkdir(outDir, { recursive: true });
  const hdMedia = await probeMedia(await benchClip(Math.ceil(LONG_FRAMES / 25)));
  const decodePer24 = await ffmpegDecodeSeconds(hdMedia);
  const hd = await measureLong('1080p25 H.264 (bench clip)', hdMedia, packDir, outDir, decodePer24);
  const deviceLike = await measureLong('1080p25 H.264 (bench clip), onnxruntime on one thread', hdMedia, packDir, outDir, decodePer24, 1);
  const pipes = await pipesOnlySeconds(hdMedia, outDir, FRAMES);
  const small = await measureShort('two-birds 568x320 JPEG sequence', await probeMedia(TWO_BIRDS), packDir, outDir);
  const stride = await strideComparison(packDir, outDir);
  return {
    name: 'P3 LGVI host time per 24-frame window of a long clip (all but session.run, 50 steps, three-way guidance) ÷ ffmpeg decode of the same 24 frames',
    pack: 'bench fixture: analytic models at 512x320, 24 frames, latents 24x40x64, mask at image size',
    results: [hd, deviceLike, small],
    // Decode + take + matte encodes of one window alone (no model, no image work): CPU work that
    // can only hide behind the model where there are cores to spare.
    pipesOnlySeconds: round(pipes),
    pipesOnlyRatio: round(pipes / decodePer24),
    strideOn100Frames568x320: stride,
    ratio: hd.ratio,
    goal: P3_GOAL,
    pass: hd.ratio <= P3_GOAL,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await runP3(), null, 2));
}

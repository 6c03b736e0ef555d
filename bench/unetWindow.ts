// One denoising window of a real LGVI U-Net graph at a chosen size, through Lacuna's pack loader and
// denoise loop: time per step and the process's peak memory. The pack is the reference-parity
// fixture's (the authors' RoviModel with random weights, widths 32; test/fixtures/lgvi-parity) or a
// copy of it, e.g. with fused attention (models/export/fuse_attention.py) or an fp16 variant: its
// U-Net is dynamic in T, h, w, and it has SD 1.x's 8 heads, so at 512 x 320 x 24 its attention
// matrices are the real LGVI's size (B·T·8·2560²), which is what dominates the real U-Net's peak
// (models/README.md, "Memory"); the convolutions, 10-40x narrower than the real ones, are not.
//
//   node bin/run-ts.mjs bench/unetWindow.ts [--fixture DIR] [--provider cpu|cuda] [--precision fp32|fp16]
//        [--size 512x320x24] [--steps 2] [--batch together|separate]
//
// Prints one JSON line: ms per step (the first step, which opens the session, excluded when there
// are two or more), resident memory before the window and the process's peak (maxRSS; on CUDA the
// device's peak is what scripts/gpu-check.sh samples with nvidia-smi), and the attention-score term
// of the memory estimate for comparison. One configuration per process: maxRSS is a lifetime peak.
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadPack } from '../src/engine/lgvi/pack';
import { SD_TOP_HEADS } from '../src/engine/lgvi/pack/memoryEstimate';
import { denoiseLatents, MaskAverage } from '../src/engine/lgvi/sampler/denoiseLoop';
import { createScheduler } from '../src/engine/lgvi/schedulers';
import { parityPackCopy, readParityFixture } from '../test/helpers/parityFixturePack';

const { values } = parseArgs({
  // After this file's path (run through bin/run-ts.mjs or tsx).
  args: process.argv.slice(process.argv.findIndex((a) => a.endsWith('unetWindow.ts')) + 1),
  options: {
    fixture: { type: 'string' },
    provider: { type: 'string', default: 'cpu' },
    precision: { type: 'string', default: 'fp32' },
    size: { type: 'string', default: '512x320x24' },
    steps: { type: 'string', default: '2' },
    batch: { type: 'string', default: 'together' },
  },
});
const [width, height, frames] = values.size!.split('x').map(Number);
const steps = Number(values.steps);
const provider = values.provider as 'cpu' | 'cuda';
const batch = values.batch as 'together' | 'separate';
if (![width, height, frames, steps].every((n) => Number.isInteger(n) && n > 0) || width % 64 || height % 64) {
  console.error('--size WIDTHxHEIGHTxFRAMES (multiples of 64) and --steps N, e.g. --size 512x320x24 --steps 2');
  process.exit(2);
}

/** Deterministic values of about unit spread (the numbers do not matter here, only the shapes). */
function filled(length: number, phase: number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.sin(i * 12.9898 + phase) * 1.7;
  return out;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
const fixture = await readParityFixture(values.fixture);
const dir = await parityPackCopy(values.fixture);
const pack = await loadPack(dir, { providers: provider, strictProvider: provider !== 'cpu', precision: values.precision as 'fp32' | 'fp16', cacheDir: dir });
try {
  const run = fixture.record.runs.find((r) => r.name === 'ddim')!;
  const scheduler = createScheduler(run.scheduler);
  scheduler.setTimesteps(steps);
  const [h, w] = [height / 8, width / 8];
  const size = 4 * frames * h * w;
  const rssBefore = process.memoryUsage().rss;
  const stepEnds: number[] = [];
  const started = performance.now();
  await denoiseLatents(
    {
      initial: filled(size, 0),
      condition: filled(size, 1).map((v) => v * 0.18215),
      text: { prompt: filled(77 * 768, 2), empty: filled(77 * 768, 3) },
      latentDims: [4, frames, h, w],
      guidance: fixture.record.guidance,
      guidanceBatch: batch,
      maskSteps: 1,
      noise: { seed: 0, keys: Array.from({ length: frames }, (_, k) => k) },
    },
    scheduler,
    (feeds, request) => pack.models.unet.run(feeds, request),
    new MaskAverage(),
    { onStep: () => stepEnds.push(performance.now()) },
  );
  const times = stepEnds.map((t, i) => t - (i === 0 ? started : stepEnds[i - 1]));
  const timed = times.length > 1 ? times.slice(1) : times;
  const passes = batch === 'together' ? 3 : 1;
  const manifest = pack.manifest;
  console.log(
    JSON.stringify({
      fixture: values.fixture ?? 'test/fixtures/lgvi-parity',
      fused: /attention fused/.test(manifest.source.notes ?? ''),
      provider,
      precision: values.precision,
      size: `${width}x${height}x${frames}`,
      batch,
      steps,
      msPerStep: Math.round(timed.reduce((a, b) => a + b, 0) / timed.length),
      firstStepMs: Math.round(times[0]),
      rssBeforeMiB: mib(rssBefore),
      peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
      oneScoreMatrixMiB: mib(passes * frames * SD_TOP_HEADS * (h * w) ** 2 * (values.precision === 'fp16' ? 2 : 4)),
    }),
  );
} finally {
  await pack.release();
  await rm(dir, { recursive: true, force: true });
}

// `npm run bench [-- --only P1[,P2]]`: runs the benchmarks and prints ONE JSON object on stdout
// (figures, goals, pass/fail, machine). Each benchmark lives in its own file and registers here;
// a benchmark is a file exporting run*() and one line below.
import { cpus, totalmem, release } from 'node:os';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { runProcess } from '../src/engine/util/runProcess';
import { runP1 } from './p1TranscodeOverhead';
import { runP2 } from './p2MemoryBound';
import { runP3 } from './lgviWindow';
import { runF1 } from './farmF1';
import { runL1 } from './liteFps';

const BENCHMARKS: Record<string, () => Promise<{ pass: boolean }>> = { P1: runP1, P2: runP2, P3: runP3, F1: runF1, L1: runL1 };

function selected(argv: readonly string[]): string[] {
  const i = argv.indexOf('--only');
  if (i < 0) return Object.keys(BENCHMARKS);
  const names = (argv[i + 1] ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  const unknown = names.filter((n) => !BENCHMARKS[n]);
  if (!names.length || unknown.length) {
    throw new Error(`--only takes benchmark names from: ${Object.keys(BENCHMARKS).join(', ')}`);
  }
  return names;
}

async function machine() {
  const ff = ffmpegPaths();
  const { stdout } = await runProcess(ff.ffmpeg, ['-version']);
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    ffmpeg: stdout.toString().split('\n')[0],
  };
}

const names = selected(process.argv.slice(3));
const results: Record<string, unknown> = {};
for (const name of names) {
  console.error(`running ${name}…`);
  results[name] = await BENCHMARKS[name]();
}
const report = { machine: await machine(), results, pass: Object.values(results).every((r) => (r as { pass: boolean }).pass) };
console.log(JSON.stringify(report, null, 2));

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FarmClient, redisOptions } from '../src/engine/farm';
import { farmRemovalTake } from '../src/engine/farm/farmSubmit';
import { createLiteEngine } from '../src/engine/lite/liteEngine';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { probeMedia } from '../src/engine/media/probe';
import { loadProject } from '../src/engine/project';
import { main } from '../src/cli/main';
import { RedisServer, startWorker, stopWorker, type WorkerProcess } from '../test/farm/farmHarness';
import { BENCH_DIR } from './benchClips';
import { round } from './p1TranscodeOverhead';

export const F1_GOAL = 1.1;

/**
 * F1: the same 8-window Lite removal (a 568x320 clip of 100 frames, 16-frame windows overlapping
 * by 4, a moving square removed by its matte) on this machine's local path, then through a real
 * farm (redis-server on loopback, `lacuna worker` processes, one chunk per window): with one
 * worker (the farm's overhead: grounding, chunk files, the join's decode and encode, Redis
 * round trips) and with three. Workers are started before the clock starts, as on a farm.
 * On one machine three workers share its cores, so their speed-up is bounded by the cores, not
 * by the farm; with one worker per machine the chunks run side by side.
 */
const FRAMES = 100;

function clip(dir: string): { clip: string; matte: string } {
  const d = FRAMES / 25;
  const run = (args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
  const c = join(dir, 'f1.mov');
  const m = join(dir, 'f1_matte.mov');
  run(['-f', 'lavfi', '-i', `testsrc2=size=568x320:rate=25:duration=${d}`, '-f', 'lavfi', '-i', `color=red:size=40x40:rate=25:duration=${d}`,
    '-filter_complex', '[0][1]overlay=x=20+4*n:y=120', '-c:v', 'prores_ks', '-profile:v', '3', '-frames:v', String(FRAMES), c]);
  run(['-f', 'lavfi', '-i', `color=black:size=568x320:rate=25:duration=${d}`, '-f', 'lavfi', '-i', `color=white:size=40x40:rate=25:duration=${d}`,
    '-filter_complex', '[0][1]overlay=x=20+4*n:y=120,format=gray', '-c:v', 'prores_ks', '-profile:v', '3', '-frames:v', String(FRAMES), m]);
  return { clip: c, matte: m };
}

const quiet = { stdout: () => {}, stderr: () => {} };

export async function runF1() {
  const dir = join(BENCH_DIR, 'f1');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { clip: file, matte } = clip(dir);
  const settings = { seed: 0, maskDilate: 2, maskFeather: 2, fullFrame: false, engine: { window: 16, overlap: 4 } };

  // Local: the engine's own path, as `lacuna remove` runs it.
  const media = await probeMedia(file);
  const signal = new AbortController().signal;
  const t0 = performance.now();
  await createLiteEngine().remove(
    { media, range: { start: 0, end: FRAMES }, target: { kind: 'mask', matte: await probeMedia(matte) }, settings, output: { file: join(dir, 'local.mov'), codec: 'prores_hq', matteFile: join(dir, 'local_matte.mov') } },
    { signal, progress: () => {}, warn: () => {}, ffmpeg: ffmpegPaths() },
  );
  const localSeconds = (performance.now() - t0) / 1000;

  const projectFile = join(dir, 'f1.lacuna');
  await main(['node', 'lacuna', 'project', 'create', projectFile, '--fps', '25', '--size', '568x320'], quiet);
  await main(['node', 'lacuna', 'project', 'add', projectFile, file], quiet);
  const { project } = await loadProject(projectFile);
  const clipId = project.doc.sequences[0].tracks[0].clips[0].id;

  const redis = await RedisServer.start(join(dir, 'redis'));
  const client = await FarmClient.connect(redisOptions({ url: redis.url }));
  const farmRun = async (workerCount: number) => {
    const workers: WorkerProcess[] = [];
    try {
      for (let i = 0; i < workerCount; i++) workers.push(await startWorker(redis.url, `f1-${workerCount}-${i}`, ['--root', dir], { LACUNA_DATA_DIR: join(dir, `data${i}`) }));
      const take = farmRemovalTake(project, { clipId, engine: 'lite', target: { kind: 'mask', matte }, codec: 'prores_hq', settings, writeMatte: true, what: `F1 ${workerCount}`, chunkWindows: 1 }, dir);
      const start = performance.now();
      await client.submit(take, { resource: 'cpu' });
      const done = await client.waitFor(take.takeId, { pollMs: 100 });
      const seconds = (performance.now() - start) / 1000;
      if (done.state !== 'done') throw new Error(`F1: the farm take ${done.state}: ${done.error}`);
      return { seconds, chunks: done.chunks.length, workersUsed: new Set(done.chunks.map((c) => c.worker)).size, take: done.result!.takeFile! };
    } finally {
      await Promise.all(workers.map((w) => stopWorker(w)));
    }
  };
  try {
    const one = await farmRun(1);
    const three = await farmRun(3);
    const same = (a: string, b: string) => {
      const hash = (f: string) => execFileSync('ffmpeg', ['-v', 'error', '-i', f, '-pix_fmt', 'rgb24', '-f', 'framemd5', '-'], { encoding: 'utf8' }).split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()).join();
      return hash(a) === hash(b);
    };
    const overhead = one.seconds / localSeconds;
    return {
      name: 'F1 Lite removal, 8 windows (568x320, 100 frames): farm with 1 worker ÷ local path; 3 workers',
      windows: 8,
      chunks: one.chunks,
      seconds: { local: round(localSeconds), farm1: round(one.seconds), farm3: round(three.seconds) },
      overhead1: round(overhead),
      speedup3: round(localSeconds / three.seconds),
      workersUsed3: three.workersUsed,
      bitExact: { farm1: same(one.take, join(dir, 'local.mov')), farm3: same(three.take, join(dir, 'local.mov')) },
      note: 'all workers on this one machine share its cores (and with other engineers\' work); with one worker per machine the 8 chunks would run side by side',
      goal: F1_GOAL,
      pass: overhead <= F1_GOAL,
    };
  } finally {
    await client.close();
    await redis.stop();
  }
}

// Child process for crash.test.ts: opens a job queue on the given data folder, submits one long
// job, and once the job has written scratch files and the journal says it is running, prints
// "running <jobId>" and keeps working until the parent kills it with SIGKILL.
import { JobQueue } from '../../src/engine/jobs';
import { installedJobKinds } from '../../src/engine/jobs/kinds';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { stepKind } from './testKinds';

const [dataDir, outDir, kind, paramsJson] = process.argv.slice(2);
const queue = await JobQueue.open({ dataDir, kinds: [stepKind('gpu-step', 'gpu'), ...installedJobKinds()], ffmpeg: ffmpegPaths });
const job = queue.submit({ kind, params: JSON.parse(paramsJson), output: { dir: outDir, name: 'crash render' } });
let told = false;
queue.on(async (e) => {
  if (told || e.type !== 'progress' || (e.job.progress ?? 0) < 0.05) return;
  told = true;
  await queue.saved();
  process.stdout.write(`running ${job.id}\n`);
});

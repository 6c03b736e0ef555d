import type { Command } from 'commander';
import { resolve } from 'node:path';
import { defaultWorkerName, parsePathMapEntry, PathMap, redisOptions, safeRedisUrl, startFarmWorker, type ResourceClass, type WorkerLogEvent } from '../../engine/farm';
import { FarmClient } from '../../engine/farm/farmClient';
import { ffmpegPaths } from '../../engine/media/ffmpegLocator';
import type { CliContext } from '../main';
import { addRedisOptions, redisConfigOf, type RedisCliOptions } from './farm';
import { intOption } from './remove';

interface WorkerCliOptions extends RedisCliOptions {
  gpu?: boolean;
  cpu?: boolean;
  concurrency: number;
  pathMap: string[];
  root: string[];
  pack: string[];
  name?: string;
  stalledInterval: number;
  lockDuration: number;
}

const collect = (value: string, all: string[]) => [...all, value];

/**
 * `lacuna worker`: a headless render-farm worker. Runs until SIGTERM or Ctrl-C, then puts its
 * running jobs back on the queue and exits 0.
 */
export function registerWorker(program: Command, ctx: CliContext): void {
  addRedisOptions(
    program
      .command('worker')
      .description('run a render-farm worker: take removal and transcode jobs from Redis until stopped')
      .option('--gpu', 'take GPU jobs (LGVI; needs --pack)')
      .option('--cpu', 'take CPU jobs (Lite removals and their chunks, transcodes); the default without --gpu')
      .option('--concurrency <n>', 'jobs at once per resource class', intOption(1), 1)
      .option('--path-map <from=to>', "map a folder as jobs name it to this machine's mount (repeatable)", collect, [])
      .option('--root <dir>', 'a folder jobs may read and write with unchanged paths (repeatable)', collect, [])
      .option('--pack <dir>', 'an LGVI model pack (repeatable)', collect, [])
      .option('--name <name>', 'the name status shows (default host:pid)')
      .option('--stalled-interval <ms>', "how often to look for jobs whose worker died", intOption(100), 30_000)
      .option('--lock-duration <ms>', 'how long a job stays with a worker that stops answering (longer than the longest window fill: Lite fills a window without yielding)', intOption(100), 120_000)
      .addHelpText(
        'after',
        '\nExamples:\n  lacuna worker --redis redis://render-db:6379 --path-map /Volumes/Media=/mnt/media --path-map \'\\\\nas\\media=/mnt/media\'\n' +
          '  lacuna worker --redis rediss://farm@render-db:6380 --redis-password-file /etc/lacuna/redis.pass --tls-ca /etc/lacuna/ca.pem --gpu --pack /opt/lgvi',
      ),
  ).action(async (o: WorkerCliOptions) => {
    const reporter = ctx.reporter();
    const resources: ResourceClass[] = [...(o.cpu || !o.gpu ? (['cpu'] as const) : []), ...(o.gpu ? (['gpu'] as const) : [])];
    const paths = new PathMap(o.pathMap.map(parsePathMapEntry), o.root.map((r) => resolve(r)));
    const config = redisConfigOf(o);
    const connection = redisOptions(config);
    // Fails at once with a clear message when Redis is unreachable or refuses the password.
    await (await FarmClient.connect(connection, o.prefix)).close();
    const name = o.name ?? defaultWorkerName();
    const log = (e: WorkerLogEvent) => {
      if (reporter.json) return reporter.result({ event: e.type, worker: name, ...e });
      if (e.type === 'progress') return;
      if (e.type === 'ready') reporter.info(`worker ${name} on ${safeRedisUrl(config.url)}: ${e.queues.join(', ')}; roots ${paths.localRoots.join(', ')}`);
      else if (e.type === 'started') reporter.info(`${e.jobId}: ${e.name} ${e.label}`);
      else if (e.type === 'finished') reporter.info(`${e.jobId}: done`);
      else if (e.type === 'waiting') reporter.info(`${e.jobId}: ${e.chunks} chunks queued`);
      else if (e.type === 'requeued') reporter.info(`${e.jobId}: back on the queue`);
      else if (e.type === 'failed') reporter.warn(`${e.jobId}: ${e.final ? 'failed' : 'failed, will retry'}: ${e.error}`);
      else reporter.warn(e.error);
    };
    const worker = await startFarmWorker({
      connection,
      prefix: o.prefix,
      name,
      resources,
      concurrency: o.concurrency,
      paths,
      packDirs: o.pack.map((p) => resolve(p)),
      ffmpeg: ffmpegPaths,
      stalledIntervalMs: o.stalledInterval,
      lockDurationMs: o.lockDuration,
      log,
    });
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once('SIGTERM', stop);
      if (ctx.signal.aborted) done();
      ctx.signal.addEventListener('abort', stop, { once: true });
    });
    reporter.info(`worker ${name} stopping: running jobs go back to the queue`);
    await worker.close();
  });
}

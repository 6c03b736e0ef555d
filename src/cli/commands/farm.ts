import type { Command } from 'commander';
import { resolve } from 'node:path';
import {
  collectFarmTakes,
  FarmClient,
  farmEngineOf,
  redisOptions,
  safeRedisUrl,
  submitFarmRemoval,
  type FarmRedisConfig,
  type FarmTakeStatus,
} from '../../engine/farm';
import { probeMedia } from '../../engine/media/probe';
import { loadProject } from '../../engine/project';
import { LacunaError } from '../../engine/util/errors';
import { cliDataDir } from '../dataDir';
import type { CliContext } from '../main';
import { findClip } from '../projectClip';
import type { Reporter } from '../reporter';
import { addRemovalOptions, chooseEngine, intOption, settingsOf, targetOf, type RemoveCliOptions } from './remove';

/**
 * `lacuna farm submit|status|cancel|retry|collect`: the submitting side of a render farm (one
 * Redis, any number of `lacuna worker`s). A submitted take renders on the workers and comes back
 * into the project as a new take of its clip, either at once (submit waits) or later (collect).
 */

export interface RedisCliOptions {
  redis?: string;
  redisUser?: string;
  redisPasswordFile?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  prefix: string;
}

/** The Redis options every farm command and the worker take. */
export function addRedisOptions(command: Command): Command {
  return command
    .option('--redis <url>', 'the farm\'s Redis: redis://[user[:password]@]host[:port][/db], rediss:// for TLS (default: LACUNA_REDIS_URL)')
    .option('--redis-user <name>', 'Redis ACL user')
    .option('--redis-password-file <file>', 'read the Redis password from this file (or set LACUNA_REDIS_PASSWORD)')
    .option('--tls-ca <file>', 'CA certificate (PEM) that signed the Redis server\'s certificate')
    .option('--tls-cert <file>', 'client certificate (PEM), for a Redis that checks clients')
    .option('--tls-key <file>', 'client key (PEM)')
    .option('--prefix <name>', 'Redis key prefix: one farm per prefix', 'lacuna');
}

export function redisConfigOf(o: RedisCliOptions, env: NodeJS.ProcessEnv = process.env): FarmRedisConfig {
  const url = o.redis ?? env.LACUNA_REDIS_URL;
  if (!url) throw new LacunaError('BAD_ARGUMENT', 'which Redis is the farm on?', 'Give --redis redis://host:6379 or set LACUNA_REDIS_URL.');
  const tls = o.tlsCa || o.tlsCert || o.tlsKey ? { ...(o.tlsCa && { ca: o.tlsCa }), ...(o.tlsCert && { cert: o.tlsCert }), ...(o.tlsKey && { key: o.tlsKey }) } : undefined;
  return { url, ...(o.redisUser && { username: o.redisUser }), ...(o.redisPasswordFile && { passwordFile: o.redisPasswordFile }), ...(tls && { tls }) };
}

async function connect(o: RedisCliOptions): Promise<FarmClient> {
  return FarmClient.connect(redisOptions(redisConfigOf(o)), o.prefix);
}

function percent(p: number | null): string {
  return p === null ? '' : ` ${Math.round(p * 100)}%`;
}

function statusLine(s: FarmTakeStatus): string {
  const who = s.worker ? ` on ${s.worker}` : '';
  const running = s.chunks.filter((c) => c.state === 'running').map((c) => `${c.index}@${c.worker ?? '?'}`);
  const chunks = s.chunks.length ? ` [chunks ${s.chunks.filter((c) => c.state === 'done').length}/${s.chunks.length}${running.length ? `, running ${running.join(' ')}` : ''}]` : '';
  const error = s.error ? `\n    ${s.error.split('\n').join('\n    ')}` : '';
  const file = s.result?.takeFile ? `\n    ${s.result.takeFile}` : s.result && !s.result.changed ? `\n    ${s.result.explanation}` : '';
  return `${s.takeId}  ${s.state}${percent(s.state === 'done' ? null : s.progress)}${s.message ? ` (${s.message})` : ''}${who}${chunks}  ${s.label}${error}${file}`;
}

/** Writes back finished takes of the project file (under its lock), saving it if any was added. */
async function collectInto(reporter: Reporter, client: FarmClient, projectFile: string, only?: string[]) {
  const outcome = await collectFarmTakes(client, resolve(projectFile), (path, signal) => probeMedia(path, { signal }), only);
  for (const n of outcome.notes) reporter.warn(n);
  return outcome;
}

interface SubmitCliOptions extends RemoveCliOptions, RedisCliOptions {
  detach?: boolean;
  attempts: number;
  chunkWindows: number;
}

export function registerFarm(program: Command, ctx: CliContext): void {
  const farm = program.command('farm').description('send removals to a render farm (Redis + `lacuna worker`s) and follow them');

  const submit = addRedisOptions(
    farm
      .command('submit')
      .description("remove an object from a project's clip on the farm; the result becomes the clip's new take")
      .argument('[expression]', 'what to remove, in words')
      .requiredOption('-p, --project <file>', 'the project (saved on storage the workers see)')
      .requiredOption('--clip <id|name>', 'the clip')
      .option('--detach', 'queue it and return at once (bring it in later with `lacuna farm collect`)')
      .option('--attempts <n>', 'tries per job before the take fails with its error', intOption(1), 3)
      .option('--chunk-windows <n>', 'Lite: windows per chunk a worker renders', intOption(1), 2)
      .option('--no-matte', 'do not write the matte'),
  );
  addRemovalOptions(submit).action(async (expression: string | undefined, o: SubmitCliOptions) => {
    const reporter = ctx.reporter();
    const { engine } = chooseEngine(o);
    const target = targetOf(o, expression, engine);
    const file = resolve(o.project!);
    const { project } = await loadProject(file);
    const clip = findClip(project.doc, o.clip!);
    const client = await connect(o);
    try {
      const take = await submitFarmRemoval(
        client,
        project,
        {
          clipId: clip.id,
          ...(await farmEngineOf(engine)),
          target: target.kind === 'mask' ? { kind: 'mask', matte: resolve(target.matte), ...(o.maskFps && { fps: o.maskFps }) } : target,
          codec: o.codec ?? 'prores_hq',
          settings: settingsOf(o, engine),
          writeMatte: o.matte !== false,
          what: target.kind === 'mask' ? 'Remove by matte' : target.kind === 'chat' ? target.message : target.text,
          chunkWindows: o.chunkWindows,
        },
        cliDataDir(),
        { attempts: o.attempts },
      );
      reporter.info(`queued ${take.label} as farm take ${take.takeId} on ${safeRedisUrl(redisConfigOf(o).url)}`);
      if (o.detach) {
        reporter.result({ takeId: take.takeId, state: 'queued', file: take.output.file }, () => `farm take ${take.takeId} queued; bring it in with: lacuna farm collect --project ${file}`);
        return;
      }
      // Ctrl-C stops waiting, not the take: it keeps rendering, and collect brings it in.
      const final = await client.waitFor(take.takeId, {
        signal: ctx.signal,
        onStatus: (s) => s.progress !== null && reporter.progress({ stage: s.message ?? s.state, done: Math.round(s.progress * 1000), total: 1000 }),
      });
      if (final.state !== 'done') throw new LacunaError(final.state === 'cancelled' ? 'CANCELLED' : 'FFMPEG_FAILED', `farm take ${take.takeId} ${final.state}${final.error ? `: ${final.error}` : ''}`);
      const collected = final.result?.changed ? await collectInto(reporter, client, file, [take.takeId]) : null;
      const added = collected?.added[0];
      reporter.result(
        { takeId: take.takeId, changed: Boolean(final.result?.changed), explanation: final.result?.explanation, file: final.result?.takeFile ?? null, matte: final.result?.matteFile ?? null, projectTakeId: added?.takeId ?? null, project: file },
        () => `${final.result?.explanation}\n${added ? `new take ${added.takeId}: ${final.result?.takeFile}` : 'no take was added: the clip is unchanged.'}`,
      );
    } finally {
      await client.close();
    }
  });

  addRedisOptions(farm.command('status').description("the farm's takes (or one take) and its workers").argument('[take]', 'a farm take id')).action(async (takeId: string | undefined, o: RedisCliOptions) => {
    const client = await connect(o);
    try {
      if (takeId) {
        const s = await client.status(takeId);
        ctx.reporter().result(s, () => statusLine(s));
        return;
      }
      const [takes, workers] = await Promise.all([client.list(), client.workers()]);
      ctx.reporter().result({ workers, takes }, () =>
        [
          `workers (${workers.length}):`,
          ...workers.map((w) => `  ${w.name}  ${w.resources.join('+')} x${w.concurrency}  ${w.active.length ? `running ${w.active.join(', ')}` : 'idle'}  (seen ${w.lastSeenSeconds} s ago)`),
          `takes (${takes.length}):`,
          ...takes.map((t) => `  ${statusLine(t)}`),
        ].join('\n'),
      );
    } finally {
      await client.close();
    }
  });

  addRedisOptions(farm.command('cancel').description('cancel a farm take (running chunks stop within a frame)').argument('<take>', 'a farm take id')).action(async (takeId: string, o: RedisCliOptions) => {
    const client = await connect(o);
    try {
      const s = await client.cancel(takeId);
      ctx.reporter().result(s, () => statusLine(s));
    } finally {
      await client.close();
    }
  });

  addRedisOptions(farm.command('retry').description('queue a failed or cancelled farm take again').argument('<take>', 'a farm take id')).action(async (takeId: string, o: RedisCliOptions) => {
    const client = await connect(o);
    try {
      const s = await client.retry(takeId);
      ctx.reporter().result(s, () => statusLine(s));
    } finally {
      await client.close();
    }
  });

  addRedisOptions(
    farm.command('collect').description("add the project's finished farm takes to their clips, and save it").requiredOption('-p, --project <file>', 'the project'),
  ).action(async (o: RedisCliOptions & { project: string }) => {
    const client = await connect(o);
    try {
      const outcome = await collectInto(ctx.reporter(), client, o.project);
      ctx.reporter().result(outcome, () =>
        [...outcome.added.map((a) => `added take ${a.takeId} to clip ${a.clipId} (farm take ${a.farmTakeId})`), `${outcome.added.length} added, ${outcome.pending} still rendering`].join('\n'),
      );
    } finally {
      await client.close();
    }
  });
}

import { InvalidArgumentError, type Command } from 'commander';
import { rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ffmpegPaths } from '../../engine/media/ffmpegLocator';
import { parseFrameRange } from '../../engine/media/frameRange';
import { isSequencePattern } from '../../engine/media/imageSequenceSource';
import { checkCodecContainer, containerFor } from '../../engine/media/deliveryCodecs';
import { guardOutput } from '../../engine/media/outputGuard';
import { checkMatteFits, checkMatteLeavesPicture } from '../../engine/media/matteFit';
import { IMAGE_EXTENSIONS } from '../../engine/media/imageSequenceSource';
import { frameFileName } from '../../engine/project/imageSequence';
import { MAX_EXPRESSION_LENGTH } from '../../engine/jobs/kinds/removal';
import { probeMedia } from '../../engine/media/probe';
import type { DeliveryCodec } from '../../engine/media/types';
import { installedRemovalEngines } from '../../engine/removal/installedEngines';
import type { RemovalEngine, RemovalOutcome, RemovalSettings, RemovalTarget } from '../../engine/removal/removalEngine';
import { commitTempFile, tempPathFor } from '../../engine/util/atomicWrite';
import { LacunaError } from '../../engine/util/errors';
import type { Rational } from '../../engine/util/rational';
import type { ChatMessage } from '../../engine/chat';
import type { CliContext } from '../main';
import { codecOption, fpsOption } from '../options';
import { progressTracker } from '../progressTracker';
import { besideSource } from '../outputNames';
import { runClipJob } from '../runClipJob';

export interface RemoveCliOptions {
  project?: string;
  clip?: string;
  engine?: string;
  pack?: string;
  mask?: string;
  maskFps?: Rational;
  fps?: Rational;
  range?: string;
  out?: string;
  matte?: string | false;
  codec?: DeliveryCodec;
  seed: number;
  maskDilate?: number;
  maskFeather: number;
  fullFrame?: boolean;
  composite?: 'head' | 'difference' | 'union' | 'full';
  overwrite?: boolean;
  steps?: number;
  guidance?: number;
  imageGuidance?: number;
  scheduler?: string;
  window?: number;
  overlap?: number;
  stride?: number;
  keyframeEvery?: number;
  withShadow?: boolean;
}

export function intOption(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}, got "${text}"`);
    return n;
  };
}

function numberOption(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${text}"`);
  return n;
}

/** `clean.mov` → `clean_matte.mov`; `frames/clean.%05d.png` → `frames/clean_matte.mov`. */
function mattePathFor(output: string): string {
  const stem = basename(output, extname(output)).replace(/%0?\d*d/g, '').replace(/[._-]+$/, '') || 'removal';
  return join(dirname(output), `${stem}_matte.mov`);
}

/** The engine's own settings from the flags that apply to it; flags for another engine are refused. */
function engineSettings(engine: RemovalEngine, o: RemoveCliOptions): Record<string, unknown> {
  const composite = o.composite && o.composite !== 'full' ? o.composite : undefined;
  const lgvi = { steps: o.steps, guidance: o.guidance, imageGuidance: o.imageGuidance, scheduler: o.scheduler, window: o.window, overlap: o.overlap, stride: o.stride, composite };
  const lite = { window: o.window, overlap: o.overlap, keyframeEvery: o.keyframeEvery, withShadow: o.withShadow };
  const isLgvi = engine.id === 'lgvi' || engine.id === 'lgvi-i';
  const mine = isLgvi ? lgvi : lite;
  const theirs = isLgvi
    ? { keyframeEvery: o.keyframeEvery, withShadow: o.withShadow }
    : { steps: o.steps, guidance: o.guidance, imageGuidance: o.imageGuidance, scheduler: o.scheduler, stride: o.stride, composite: o.composite, fullFrame: o.fullFrame };
  const misplaced = Object.entries(theirs).filter(([, v]) => v !== undefined).map(([k]) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  if (misplaced.length) throw new LacunaError('BAD_ARGUMENT', `${misplaced.join(', ')} do not apply to the ${engine.label} engine`, 'See `lacuna remove --help` for which options each engine takes.');
  return Object.fromEntries(Object.entries(mine).filter(([, v]) => v !== undefined));
}

export function chooseEngine(o: RemoveCliOptions): { engine: RemovalEngine; all: RemovalEngine[] } {
  if (o.pack && o.engine && o.engine !== 'lgvi' && o.engine !== 'lgvi-i') throw new LacunaError('BAD_ARGUMENT', '--pack is for the LGVI engines', 'Drop --pack, or use --engine lgvi (or lgvi-i).');
  const wanted = o.engine ?? (o.pack ? 'lgvi' : 'lite');
  const all = installedRemovalEngines({ packDirs: o.pack ? [resolve(o.pack)] : [] });
  const engine = all.find((e) => e.id === wanted);
  if (!engine) {
    throw new LacunaError(
      'UNSUPPORTED',
      `the ${wanted} engine is not available`,
      wanted === 'lgvi' ? 'LGVI needs a model pack: pass --pack <dir> (see models/README.md).' :
      wanted === 'lgvi-i' ? 'LGVI-I needs a model pack with its interactive part (lgvi-i.json): pass --pack <dir> (see models/README.md).' : `Available: ${all.map((e) => e.id).join(', ')}.`,
    );
  }
  return { engine, all };
}

/** --composite: where LGVI's pixels go (the head's mask, what the model changed, both, or every pixel). */
function compositeOption(value: string): 'head' | 'difference' | 'union' | 'full' {
  if (value === 'head' || value === 'difference' || value === 'union' || value === 'full') return value;
  throw new InvalidArgumentError(
    `--composite ${value}: use union (default), head (the mask head's mask), difference (what the model changed beyond the VAE's own error) or full (every pixel, as the reference)`,
  );
}

/**
 * The options that say how to remove (engine, matte, codec and every engine setting), shared by
 * `lacuna remove` and `lacuna farm submit`.
 */
export function addRemovalOptions(command: Command): Command {
  return command
    .option('-e, --engine <id>', 'lite (default; CPU, ships with Lacuna) or lgvi (needs --pack)')
    .option('--pack <dir>', 'LGVI model pack folder')
    .option('--mask <matte>', 'remove exactly this region instead of a description: a matte video, image sequence or single image (white = remove)')
    .option('--mask-fps <rate>', 'frame rate of a matte image sequence', fpsOption)
    .option('-c, --codec <codec>', 'prores_hq | dnxhr_hq | h264 | hevc (default: what --out\'s extension takes; prores_hq)', codecOption)
    .option('--seed <n>', 'random seed (LGVI; same seed, clip and settings give the same output)', intOption(0), 0)
    .option('--mask-dilate <px>', 'grow the mask by this many pixels (default 8; 0 with --mask)', intOption(0))
    .option('--mask-feather <px>', 'soften the composite edge by this many pixels', intOption(0), 2)
    .option('--full-frame', 'LGVI: replace every pixel, as the reference does (no mask composite)')
    .option('--composite <mode>', 'LGVI: union (default: the mask head\'s mask and what the model changed), head, difference, or full (every pixel, as --full-frame)', compositeOption)
    .option('--steps <n>', 'LGVI: sampling steps (pack default, 50)', intOption(1))
    .option('--guidance <g>', 'LGVI: text guidance (pack default, 3.0)', numberOption)
    .option('--image-guidance <g>', 'LGVI: video guidance (pack default, 1.5)', numberOption)
    .option('--scheduler <class>', 'LGVI: a diffusers scheduler class, e.g. DDIMScheduler')
    .option('--window <frames>', 'frames processed together (LGVI 24, Lite 48)', intOption(2))
    .option('--overlap <frames>', 'frames shared by consecutive windows (default 8)', intOption(0))
    .option('--stride <n>', 'LGVI: run on every n-th frame and carry results between', intOption(1))
    .option('--keyframe-every <n>', 'Lite: detect objects on every n-th frame', intOption(1))
    .option('--with-shadow', 'Lite: also remove the object\'s cast shadow (or say "and its shadow")');
}

/** `lacuna remove`: take an object out of a clip, by description or by a matte. */
export function registerRemove(program: Command, ctx: CliContext): void {
  const command = program
    .command('remove')
    .description('remove an object from a clip by description ("remove the bird on the left") or by a matte')
    .argument('[media]', 'a video file, a folder of numbered images, or a pattern such as shots/%05d.png')
    .argument('[expression]', 'what to remove, in words')
    .option('-p, --project <file>', 'instead of a file: a clip of this project, whose new take the result becomes')
    .option('--clip <id|name>', 'with --project: the clip');
  addRemovalOptions(command)
    .option('--fps <rate>', 'frame rate of an image-sequence source', fpsOption)
    .option('-r, --range <in-out>', 'frames "10-50" (half-open) or timecodes')
    .option('-o, --out <file>', 'output file, or an image-sequence pattern such as clean/%05d.png (default: <name>_removed.mov beside the source)')
    .option('--matte <file>', 'where to write the removal matte (default: <output>_matte.mov)')
    .option('--no-matte', 'do not write the matte')
    .option('--overwrite', 'replace existing output files (never the source)')
    .addHelpText(
      'after',
      '\nExamples:\n  lacuna remove shots/two-birds/ "remove the bird on the left" --fps 25\n  lacuna remove interview.mov "the man on the left" -r 120-480 -o clean.mov\n' +
        '  lacuna remove plate.mov --mask plate_matte.mov\n  lacuna remove clip.mp4 "remove the dog" --engine lgvi --pack ~/LGVI/lgvi-referring --seed 7\n' +
        '  lacuna remove --project cut.lacuna --clip A001.mov "remove both birds"',
    )
    .action(async (media: string | undefined, expression: string | undefined, o: RemoveCliOptions) => {
      const { engine, all } = chooseEngine(o);
      if (o.project) {
        // In project mode the one positional argument is the expression.
        const text = expression ?? media;
        return removeFromProjectClip(ctx, o, engine, all, text);
      }
      if (!media) throw new LacunaError('BAD_ARGUMENT', 'nothing to remove from', 'Name a clip, or a project and clip with --project and --clip.');
      await removeFromFile(ctx, o, engine, media, expression);
    });
}

/** With no --codec, the one `--out`'s container takes (H.264 in .mp4); ProRes 422 HQ otherwise. */
function codecForOutput(out: string | undefined): DeliveryCodec {
  return out && !isSequencePattern(out) && extname(out).toLowerCase() === '.mp4' ? 'h264' : 'prores_hq';
}

/** A video output must have a container its codec goes in; an image-sequence pattern picks its format by extension. */
function checkOutputName(path: string, codec: DeliveryCodec, flag: string): void {
  if (isSequencePattern(path)) return;
  const ext = extname(path).toLowerCase();
  if (IMAGE_EXTENSIONS.has(ext)) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `${flag} ${basename(path)} is a single image, but a removal has a frame for every frame of the clip`,
      `Give a video name (${flag === '--matte' ? 'matte.mov' : 'clean.mov'}) or an image-sequence pattern (${flag === '--matte' ? 'matte/%05d.png' : 'clean/%05d.png'}).`,
    );
  }
  checkCodecContainer(codec, containerFor(path), path);
}

function sameOutput(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}

/**
 * What the command asks the engine to remove. An engine that takes chat requests and not
 * descriptions (LGVI-I) gets the words as a chat message, which its own language model answers.
 */
export function targetOf(
  o: RemoveCliOptions,
  text: string | undefined,
  engine?: RemovalEngine,
): { kind: 'expression'; text: string } | { kind: 'mask'; matte: string } | { kind: 'chat'; message: string } {
  if (o.mask && text) throw new LacunaError('BAD_ARGUMENT', 'give either a description or --mask, not both');
  if (o.mask) return { kind: 'mask', matte: o.mask };
  if (!text?.trim()) throw new LacunaError('BAD_ARGUMENT', 'say what to remove', 'For example: lacuna remove clip.mov "remove the man on the left", or --mask matte.mov.');
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `the description is ${text.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are read`,
      'Say what to remove in a sentence, e.g. "remove the man on the left".',
    );
  }
  if (engine && engine.targets.includes('chat') && !engine.targets.includes('expression')) return { kind: 'chat', message: text };
  return { kind: 'expression', text };
}

export function settingsOf(o: RemoveCliOptions, engine: RemovalEngine): RemovalSettings {
  return {
    seed: o.seed,
    maskDilate: o.maskDilate ?? (o.mask ? 0 : 8),
    maskFeather: o.maskFeather,
    fullFrame: Boolean(o.fullFrame) || o.composite === 'full',
    engine: engineSettings(engine, o),
  };
}

export async function removeFromFile(ctx: CliContext, o: RemoveCliOptions, engine: RemovalEngine, media: string, text: string | undefined): Promise<void> {
  const reporter = ctx.reporter();
  // The probe's warnings come back from the engine too (it encodes with them): say each once.
  const said = new Set<string>();
  const warn = (m: string) => {
    if (said.has(m)) return;
    said.add(m);
    reporter.warn(m);
  };
  const wanted = targetOf(o, text, engine);
  const codec = o.codec ?? codecForOutput(o.out);
  const info = await probeMedia(media, { fps: o.fps, signal: ctx.signal });
  for (const w of info.warnings ?? []) warn(w);
  const range = o.range ? parseFrameRange(o.range, info) : { start: 0, end: info.video?.frameCount ?? 0 };
  const maskInfo = wanted.kind === 'mask' ? await probeMedia(wanted.matte, { fps: o.maskFps, signal: ctx.signal }) : undefined;
  if (maskInfo) {
    for (const w of checkMatteFits(maskInfo, info)) warn(w);
    await checkMatteLeavesPicture(maskInfo, undefined, { signal: ctx.signal });
  }
  const target: RemovalTarget = maskInfo ? { kind: 'mask', matte: maskInfo } : (wanted as RemovalTarget);
  // `shot.mov` → `shot_removed.mov` (and `shot_removed_matte.mov`) beside the source.
  const output = resolve(o.out ?? besideSource(info.source, 'removed', codec === 'h264' || codec === 'hevc' ? '.mp4' : '.mov'));
  const matte = o.matte === false ? undefined : resolve(o.matte ?? mattePathFor(output));
  // Refuse before any work: a name the encoders cannot write, one output over the other, an
  // existing file without --overwrite, and any input (the source, the matte given) ever.
  checkOutputName(output, codec, '--out');
  if (matte) checkOutputName(matte, 'prores_hq', '--matte');
  if (matte && sameOutput(output, matte)) {
    throw new LacunaError('BAD_ARGUMENT', `the take and its matte would both be written to ${output}`, 'Give --matte another name, or drop it (default: <output>_matte.mov).');
  }
  const inputs = [info.source, ...(maskInfo ? [maskInfo.source] : [])];
  for (const path of [output, ...(matte ? [matte] : [])]) {
    // A pattern names one file per frame: check each (the mask's own frames, say), not the pattern.
    const files = isSequencePattern(path) ? Array.from({ length: range.end - range.start }, (_, i) => frameFileName(path, i)) : [path];
    for (const file of files) await guardOutput(file, inputs, Boolean(o.overwrite));
  }

  const stages = new Map<string, ReturnType<typeof progressTracker>>();
  // Rendered beside the destinations and renamed only when complete (and only if anything was
  // removed): an interrupted or empty run leaves no file that looks like a result.
  // An image-sequence output is staged and moved into place by the encoder itself.
  const sequence = isSequencePattern(output);
  const file = sequence ? output : tempPathFor(output);
  const matteFile = matte && (isSequencePattern(matte) ? matte : tempPathFor(matte));
  let outcome: RemovalOutcome;
  try {
    outcome = await engine.remove(
      { media: info, range, target, settings: settingsOf(o, engine), output: { file, codec, ...(matteFile && { matteFile }) } },
      {
        signal: ctx.signal,
        ffmpeg: ffmpegPaths(),
        warn,
        progress: (stage, done, total) => {
          if (!stages.has(stage)) stages.set(stage, progressTracker(stage, (e) => reporter.progress(e)));
          stages.get(stage)!(done, total);
        },
      },
    );
    if (outcome.changed) {
      if (file !== output) await commitTempFile(file, output);
      if (matte && matteFile && matteFile !== matte && outcome.matteWritten) await commitTempFile(matteFile, matte);
    }
  } finally {
    await Promise.all([file !== output && rm(file, { force: true }), matteFile && matteFile !== matte && rm(matteFile, { force: true })]);
  }
  reporter.result(
    { changed: outcome.changed, explanation: outcome.explanation, output: outcome.changed ? output : null, matte: outcome.changed && matte && outcome.matteWritten ? matte : null, engine: engine.id, params: outcome.params },
    () => (outcome.changed ? `${outcome.explanation}\nwrote ${output}${matte ? `\nmatte ${matte}` : ''}` : `${outcome.explanation}\nnothing was written: the clip is unchanged.`),
  );
}

export async function removeFromProjectClip(
  ctx: CliContext,
  o: RemoveCliOptions,
  engine: RemovalEngine,
  engines: RemovalEngine[],
  text: string | undefined,
  /** The chat task's conversation, saved with the take it makes. */
  conversation?: readonly ChatMessage[],
): Promise<void> {
  const stray = [o.out && '--out', typeof o.matte === 'string' && '--matte', o.range && '--range', o.fps && '--fps'].filter(Boolean);
  if (stray.length) throw new LacunaError('BAD_ARGUMENT', `with --project, ${stray.join(', ')} cannot be used`, "The clip's range is used; the take goes to the project's Renders folder.");
  if (!o.clip) throw new LacunaError('BAD_ARGUMENT', '--project needs --clip', 'Name the clip by id or name (see `lacuna project list`).');
  const target = targetOf(o, text, engine);
  const { job, takeId, project } = await runClipJob(ctx, {
    projectFile: o.project!,
    engines,
    clip: o.clip,
    kind: engine.id,
    params: { target, codec: o.codec ?? 'prores_hq', settings: settingsOf(o, engine), writeMatte: o.matte !== false, ...(conversation && { conversation }) },
    what: target.kind === 'mask' ? 'Remove by matte' : target.kind === 'chat' ? target.message : target.text,
  });
  ctx.reporter().result(
    { job: job.id, changed: Boolean(job.result), explanation: job.note, takeId, file: job.result?.takeFile ?? null, matte: job.result?.matteFile ?? null, project },
    () => `${job.note ?? job.label}\n${takeId ? `new take ${takeId}: ${job.result?.takeFile}` : 'no take was added: the clip is unchanged.'}`,
  );
}


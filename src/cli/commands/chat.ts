import { InvalidArgumentError, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chatTurn, DEFAULT_ENDPOINT_SETTINGS, endpointModel, firstFrameScene, type ChatDecision, type ChatMessage, type ChatModel } from '../../engine/chat';
import { DEFAULT_GGUF_SETTINGS, ggufModel } from '../../engine/chat/ggufModel';
import { createDetector } from '../../engine/lite/detect/createDetector';
import { ffmpegPaths } from '../../engine/media/ffmpegLocator';
import { parseFrameRange } from '../../engine/media/frameRange';
import { probeMedia } from '../../engine/media/probe';
import type { DeliveryCodec, FrameRange, MediaInfo } from '../../engine/media/types';
import { loadProject, saveProject, type Clip } from '../../engine/project';
import { mediaSourceOf } from '../../engine/project/mediaSource';
import { clipSourceParams } from '../../engine/jobs/clipJob';
import { LacunaError } from '../../engine/util/errors';
import type { Rational } from '../../engine/util/rational';
import type { CliContext } from '../main';
import { codecOption, fpsOption } from '../options';
import { findClip } from '../projectClip';
import { chooseEngine, removeFromFile, removeFromProjectClip, type RemoveCliOptions } from './remove';

interface ChatCliOptions {
  project?: string;
  clip?: string;
  model?: string;
  llmUrl?: string;
  llmModel?: string;
  llmKey?: string;
  llmTimeout: number;
  modelThreads?: number;
  history?: string;
  dryRun?: boolean;
  engine?: string;
  pack?: string;
  fps?: Rational;
  range?: string;
  out?: string;
  matte?: string | false;
  codec: DeliveryCodec;
  seed: number;
  overwrite?: boolean;
}

function secondsOption(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number of seconds > 0, got "${text}"`);
  return n;
}

/** The language model the user chose, if any: a GGUF file in process, or a local server. */
function chosenModel(o: ChatCliOptions): ChatModel | null {
  if (o.model && o.llmUrl) throw new LacunaError('BAD_ARGUMENT', 'give either --model (a GGUF file) or --llm-url (a model server), not both');
  if (o.model) return ggufModel({ ...DEFAULT_GGUF_SETTINGS, modelFile: resolve(o.model), seed: o.seed, ...(o.modelThreads && { threads: o.modelThreads }) });
  if (o.llmModel && !o.llmUrl) throw new LacunaError('BAD_ARGUMENT', '--llm-model needs --llm-url', 'For Ollama: --llm-url http://127.0.0.1:11434/v1 --llm-model llama3.2');
  if (o.llmUrl) {
    if (!o.llmModel) throw new LacunaError('BAD_ARGUMENT', '--llm-url needs --llm-model', 'Name the model the server should use, e.g. --llm-model llama3.2 (Ollama: `ollama list`).');
    return endpointModel({ ...DEFAULT_ENDPOINT_SETTINGS, url: o.llmUrl, model: o.llmModel, apiKey: o.llmKey ?? process.env.LACUNA_LLM_KEY, timeoutSeconds: o.llmTimeout, seed: o.seed });
  }
  return null;
}

/** An earlier conversation from a JSON file (what `--json` printed as `conversation`). */
async function historyFrom(file: string | undefined): Promise<ChatMessage[]> {
  if (!file) return [];
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new LacunaError('BAD_ARGUMENT', `--history ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not a JSON conversation'}`, 'Pass the "conversation" array a previous `lacuna chat --json` printed.');
  }
  const list = Array.isArray(value) ? value : (value as { conversation?: unknown })?.conversation;
  const ok = Array.isArray(list) && list.every((m) => m && (m.role === 'user' || m.role === 'assistant') && typeof m.text === 'string');
  if (!ok) throw new LacunaError('BAD_ARGUMENT', `--history ${file}: not a conversation`, 'Expected [{"role": "user" | "assistant", "text": "…"}, …].');
  return list as ChatMessage[];
}

/** The conversation a clip's active take was made by, so a follow-up continues it. */
function conversationOfClip(clip: Clip): ChatMessage[] {
  const take = clip.takes.find((t) => t.id === clip.activeTakeId);
  const saved = take && take.kind !== 'original' ? take.params?.extra?.conversation : undefined;
  return Array.isArray(saved) ? (saved as ChatMessage[]) : [];
}

function removeOptions(o: ChatCliOptions): RemoveCliOptions {
  return {
    project: o.project,
    clip: o.clip,
    engine: o.engine,
    pack: o.pack,
    fps: o.fps,
    range: o.range,
    out: o.out,
    matte: o.matte,
    codec: o.codec,
    seed: o.seed,
    maskFeather: 2,
    overwrite: o.overwrite,
  };
}

/** `lacuna chat`: ask in words, get an answer, and the removal it settles on. */
export function registerChat(program: Command, ctx: CliContext): void {
  program
    .command('chat')
    .description('ask in conversation ("can you make this shot only about the pelican?"): prints the answer and removes what it settles on')
    .argument('[media]', 'a video file, a folder of numbered images, or a pattern (not with --project)')
    .argument('[request]', 'what you want, in your own words')
    .option('-p, --project <file>', 'instead of a file: a clip of this project; the take it makes keeps the conversation, so follow-ups continue it')
    .option('--clip <id|name>', 'with --project: the clip')
    .option('--model <file.gguf>', 'a local language model file, run in process (llama.cpp)')
    .option('--model-threads <n>', 'with --model: CPU threads for it (default: every core)', (t) => {
      const n = Number(t);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number >= 1, got "${t}"`);
      return n;
    })
    .option('--llm-url <url>', 'an OpenAI-compatible server on your machine, e.g. http://127.0.0.1:11434/v1 (Ollama)')
    .option('--llm-model <name>', 'with --llm-url: the model to use')
    .option('--llm-key <key>', 'with --llm-url: an API key, if the server wants one (or LACUNA_LLM_KEY)')
    .option('--llm-timeout <seconds>', 'how long to wait for the model', secondsOption, DEFAULT_ENDPOINT_SETTINGS.timeoutSeconds)
    .option('--history <file.json>', 'without --project: the conversation so far, as a previous --json run printed it')
    .option('--dry-run', 'answer and show the instruction, but remove nothing')
    .option('-e, --engine <id>', 'lite (default) or lgvi (needs --pack)')
    .option('--pack <dir>', 'LGVI model pack folder')
    .option('--fps <rate>', 'frame rate of an image-sequence source', fpsOption)
    .option('-r, --range <in-out>', 'frames "10-50" (half-open) or timecodes')
    .option('-o, --out <file>', 'output file (default: <name>_removed.mov beside the source)')
    .option('--matte <file>', 'where to write the removal matte')
    .option('--no-matte', 'do not write the matte')
    .option('-c, --codec <codec>', 'prores_hq | dnxhr_hq | h264 | hevc', codecOption, 'prores_hq' as DeliveryCodec)
    .option('--seed <n>', 'random seed for the model and the removal', (t) => Number.parseInt(t, 10), 0)
    .option('--overwrite', 'replace existing output files (never the source)')
    .addHelpText(
      'after',
      '\nWith no model, Lite\'s grammar finds plain requests inside polite ones ("could you remove the dog?").\n' +
        'Examples:\n  lacuna chat shots/two-birds/ "can you remove the bird on the left?" --fps 25\n' +
        '  lacuna chat pelican.mov "make this shot only about the pelican" --llm-url http://127.0.0.1:11434/v1 --llm-model llama3.2\n' +
        '  lacuna chat --project cut.lacuna --clip A001 "now remove the other one too" --model ~/models/qwen2.5-3b-instruct.gguf',
    )
    .action(async (media: string | undefined, request: string | undefined, o: ChatCliOptions) => {
      const text = o.project ? (request ?? media) : request;
      if (!text?.trim()) throw new LacunaError('BAD_ARGUMENT', 'say what you want', 'For example: lacuna chat clip.mov "can you remove the man on the left?"');
      if (o.project && o.history) throw new LacunaError('BAD_ARGUMENT', 'with --project the conversation is the one saved with the clip\'s take: drop --history');
      const model = chosenModel(o);
      const { engine, all } = chooseEngine(removeOptions(o));

      // What the clip is and which conversation it continues.
      let source: { media: MediaInfo; range: FrameRange };
      let history: ChatMessage[];
      let clip: Clip | undefined;
      if (o.project) {
        if (!o.clip) throw new LacunaError('BAD_ARGUMENT', '--project needs --clip', 'Name the clip by id or name (see `lacuna project list`).');
        const { project } = await loadProject(resolve(o.project));
        clip = findClip(project.doc, o.clip);
        history = conversationOfClip(clip);
        const clipSource = clipSourceParams(project, clip.id);
        source = { media: await probeMedia(mediaSourceOf(clipSource.media), { signal: ctx.signal }), range: clipSource.range };
      } else {
        if (!media) throw new LacunaError('BAD_ARGUMENT', 'nothing to talk about', 'Name a clip, or a project and clip with --project and --clip.');
        history = await historyFrom(o.history);
        const info = await probeMedia(media, { fps: o.fps, signal: ctx.signal });
        source = { media: info, range: o.range ? parseFrameRange(o.range, info) : { start: 0, end: info.video?.frameCount ?? 0 } };
      }

      const decision = await chatTurn({
        request: text,
        history,
        model,
        signal: ctx.signal,
        scene: async () => {
          const detector = createDetector();
          try {
            return await firstFrameScene(source.media, source.range, detector, { ffmpeg: ffmpegPaths(), signal: ctx.signal });
          } finally {
            detector.dispose();
          }
        },
      });
      const conversation: ChatMessage[] = [...history, { role: 'user', text }, { role: 'assistant', text: decision.answer, ...(decision.instruction && { instruction: decision.instruction }) }];
      const reporter = ctx.reporter();

      if (decision.undo) {
        if (!o.project || !clip) {
          reporter.result({ answer: 'Without a project there is no earlier take to go back to: the source file is unchanged.', instruction: null, undo: false, conversation });
          return;
        }
        await undoLastTake(ctx, resolve(o.project), clip.id, decision, conversation);
        return;
      }
      reporter.info(`${decision.answer}${decision.instruction ? `\ninstruction: ${decision.instruction}` : ''}`);
      if (!decision.instruction || o.dryRun) {
        reporter.result({ answer: decision.answer, instruction: decision.instruction, responder: decision.responder, conversation, removed: false }, () =>
          decision.instruction ? `(dry run: nothing was removed)` : 'nothing was removed: the clip is unchanged.',
        );
        return;
      }
      const ro = removeOptions(o);
      if (o.project) await removeFromProjectClip(ctx, ro, engine, all, decision.instruction, conversation);
      else await removeFromFile(ctx, ro, engine, media!, decision.instruction);
    });
}

/** "undo that": the clip shows the take before its active one again (the take itself is kept). */
async function undoLastTake(ctx: CliContext, file: string, clipId: string, decision: ChatDecision, conversation: ChatMessage[]): Promise<void> {
  const { project } = await loadProject(file);
  const clip = findClip(project.doc, clipId);
  const at = clip.takes.findIndex((t) => t.id === clip.activeTakeId);
  if (at <= 0) {
    ctx.reporter().result({ answer: 'There is nothing to undo: the clip already shows its original.', instruction: null, undo: false, conversation });
    return;
  }
  const previous = clip.takes[at - 1];
  project.setActiveTake(clip.id, previous.id);
  await saveProject(project, file);
  ctx.reporter().result({ answer: decision.answer, instruction: null, undo: true, active: previous.id, conversation }, () => `${decision.answer}\nactive take of ${clip.name}: ${previous.label}`);
}

import { InvalidArgumentError, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chatModelFrom, chatTurn, conversationOfClip, DEFAULT_ENDPOINT_SETTINGS, describeFirstFrame, undoLastTake, type ChatDecision, type ChatMessage, type ChatModel, type ChatModelSpec } from '../../engine/chat';
import { ffmpegPaths } from '../../engine/media/ffmpegLocator';
import { parseFrameRange } from '../../engine/media/frameRange';
import { probeMedia } from '../../engine/media/probe';
import type { FrameRange, MediaInfo } from '../../engine/media/types';
import { loadProject, saveProject, type Clip } from '../../engine/project';
import { mediaSourceOf } from '../../engine/project/mediaSource';
import { clipSourceParams } from '../../engine/jobs/clipJob';
import { LacunaError } from '../../engine/util/errors';
import type { CliContext } from '../main';
import { fpsOption } from '../options';
import { findClip } from '../projectClip';
import { addRemovalOptions, chooseEngine, removeFromFile, removeFromProjectClip, type RemoveCliOptions } from './remove';

interface ChatCliOptions extends RemoveCliOptions {
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
}

function secondsOption(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number of seconds > 0, got "${text}"`);
  return n;
}

/** The language model the user chose, if any: a GGUF file in process, or a local server. */
function chosenModel(o: ChatCliOptions): ChatModel | null {
  if (o.model && o.llmUrl) throw new LacunaError('BAD_ARGUMENT', 'give either --model (a GGUF file) or --llm-url (a model server), not both');
  if (o.llmModel && !o.llmUrl) throw new LacunaError('BAD_ARGUMENT', '--llm-model needs --llm-url', 'For Ollama: --llm-url http://127.0.0.1:11434/v1 --llm-model llama3.2');
  if (o.llmUrl && !o.llmModel) throw new LacunaError('BAD_ARGUMENT', '--llm-url needs --llm-model', 'Name the model the server should use, e.g. --llm-model llama3.2 (Ollama: `ollama list`).');
  const apiKey = o.llmKey ?? process.env.LACUNA_LLM_KEY;
  const spec: ChatModelSpec = o.model
    ? { kind: 'gguf', file: resolve(o.model), ...(o.modelThreads && { threads: o.modelThreads }) }
    : o.llmUrl
      ? { kind: 'endpoint', url: o.llmUrl, model: o.llmModel!, timeoutSeconds: o.llmTimeout, ...(apiKey && { apiKey }) }
      : { kind: 'none' };
  return chatModelFrom(spec, o.seed);
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

function removeOptions(o: ChatCliOptions): RemoveCliOptions {
  // Chat turns asked in words: no matte; the edge is softened as `lacuna remove` does by default.
  if (o.mask) throw new LacunaError('BAD_ARGUMENT', '--mask does not go with chat', 'Use `lacuna remove --mask` to remove a painted region.');
  return o;
}

/** `lacuna chat`: ask in words, get an answer, and the removal it settles on. */
export function registerChat(program: Command, ctx: CliContext): void {
  const command = program
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
    .option('--fps <rate>', 'frame rate of an image-sequence source', fpsOption)
    .option('-r, --range <in-out>', 'frames "10-50" (half-open) or timecodes')
    .option('-o, --out <file>', 'output file (default: <name>_removed.mov beside the source)')
    .option('--matte <file>', 'where to write the removal matte')
    .option('--no-matte', 'do not write the matte')
    .option('--overwrite', 'replace existing output files (never the source)');
  // The engine and its settings, as `lacuna remove` takes them (--engine lgvi-i: the pack's own LLM answers).
  addRemovalOptions(command)
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
        history = conversationOfClip(project, clip.id);
        const clipSource = clipSourceParams(project, clip.id);
        source = { media: await probeMedia(mediaSourceOf(clipSource.media), { signal: ctx.signal }), range: clipSource.range };
      } else {
        if (!media) throw new LacunaError('BAD_ARGUMENT', 'nothing to talk about', 'Name a clip, or a project and clip with --project and --clip.');
        history = await historyFrom(o.history);
        const info = await probeMedia(media, { fps: o.fps, signal: ctx.signal });
        source = { media: info, range: o.range ? parseFrameRange(o.range, info) : { start: 0, end: info.video?.frameCount ?? 0 } };
      }

      if (engine.targets.includes('chat')) {
        // LGVI-I answers the request itself (its multimodal LLM on the range's first frame) while it removes.
        if (o.dryRun) throw new LacunaError('BAD_ARGUMENT', 'LGVI-I answers while it removes: --dry-run has nothing to show', 'Drop --dry-run, or leave out --engine lgvi-i to ask a chat model first.');
        const ro = removeOptions(o);
        if (o.project) await removeFromProjectClip(ctx, ro, engine, all, text, [...history, { role: 'user', text }]);
        else await removeFromFile(ctx, ro, engine, media!, text);
        return;
      }

      const decision = await chatTurn({
        request: text,
        history,
        model,
        signal: ctx.signal,
        scene: () => describeFirstFrame(source.media, source.range, { ffmpeg: ffmpegPaths(), signal: ctx.signal }),
      });
      const conversation: ChatMessage[] = [...history, { role: 'user', text }, { role: 'assistant', text: decision.answer, ...(decision.instruction && { instruction: decision.instruction }) }];
      const reporter = ctx.reporter();

      if (decision.undo) {
        if (!o.project || !clip) {
          reporter.result({ answer: 'Without a project there is no earlier take to go back to: the source file is unchanged.', instruction: null, undo: false, conversation });
          return;
        }
        await undoLastTakeOf(ctx, resolve(o.project), clip.id, decision, conversation);
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
async function undoLastTakeOf(ctx: CliContext, file: string, clipId: string, decision: ChatDecision, conversation: ChatMessage[]): Promise<void> {
  const { project } = await loadProject(file);
  const previous = undoLastTake(project, clipId);
  if (!previous) {
    ctx.reporter().result({ answer: 'There is nothing to undo: the clip already shows its original.', instruction: null, undo: false, conversation });
    return;
  }
  await saveProject(project, file);
  const clip = project.locateClip(clipId)!.clip;
  const label = clip.takes.find((t) => t.id === previous)!.label;
  ctx.reporter().result({ answer: decision.answer, instruction: null, undo: true, active: previous, conversation }, () => `${decision.answer}\nactive take of ${clip.name}: ${label}`);
}

/**
 * A local language model in process, from a GGUF file the user has (Llama 3, Qwen, Mistral, …),
 * through node-llama-cpp: its prebuilt llama.cpp binaries ship in npm packages (CPU, CUDA, Vulkan,
 * Metal), so nothing is compiled or downloaded. The reply is constrained by a grammar made from
 * the reply's JSON schema, with bounded string lengths, so it is always parseable and always ends.
 *
 * node-llama-cpp is imported on first use: the CLI and the app start without paying for it, and a
 * machine where its binaries will not load still runs every other path.
 */
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { LacunaError } from '../util/errors';
import type { ChatModel } from './chatTurn';
import { REPLY_SCHEMA, type ChatPromptMessage } from './twoStagePrompt';

export interface GgufSettings {
  modelFile: string;
  temperature: number;
  seed: number;
  maxTokens: number;
  /** Context window in tokens; the model's own when smaller. */
  contextSize: number;
  /** 'auto' uses CUDA/Vulkan/Metal when its binaries load, else the CPU. */
  gpu: 'auto' | false;
  /**
   * CPU threads; node-llama-cpp's default (every core) when absent. llama.cpp's threads spin while
   * they wait, so on a machine already busy (a render beside it, a CI runner) fewer is faster.
   */
  threads?: number;
}

export const DEFAULT_GGUF_SETTINGS = { temperature: 0.2, seed: 0, maxTokens: 1024, contextSize: 4096, gpu: 'auto' } as const;

/** The reply schema with bounded strings: a grammar with no bound could run to the token limit. */
const BOUNDED_REPLY_SCHEMA = {
  type: 'object',
  properties: {
    answer: { type: 'string', maxLength: 240 },
    instruction: { oneOf: [{ type: 'string', maxLength: 120 }, { type: 'null' }] },
  },
  required: ['answer', 'instruction'],
} as const;

type NodeLlamaCpp = typeof import('node-llama-cpp');
type ChatHistoryItem = import('node-llama-cpp').ChatHistoryItem;

interface Loaded {
  lib: NodeLlamaCpp;
  llama: import('node-llama-cpp').Llama;
  model: import('node-llama-cpp').LlamaModel;
  grammar: import('node-llama-cpp').LlamaJsonSchemaGrammar<typeof BOUNDED_REPLY_SCHEMA>;
}

/** Loaded once per model file and kept: loading a multi-gigabyte model per turn would be absurd. */
const loadedModels = new Map<string, Promise<Loaded>>();

async function load(settings: GgufSettings): Promise<Loaded> {
  const key = `${settings.modelFile}\0${String(settings.gpu)}`;
  let loading = loadedModels.get(key);
  if (!loading) {
    loading = loadFresh(settings);
    loadedModels.set(key, loading);
    loading.catch(() => loadedModels.delete(key));
  }
  return loading;
}

async function loadFresh(settings: GgufSettings): Promise<Loaded> {
  try {
    await access(settings.modelFile);
  } catch {
    throw new LacunaError('LLM_UNAVAILABLE', `no model file at ${settings.modelFile}`, 'Choose a GGUF model file you have (e.g. a Llama 3 or Qwen 2.5 instruct model), or use a model server instead.');
  }
  let lib: NodeLlamaCpp;
  try {
    lib = await import('node-llama-cpp');
  } catch (e) {
    throw new LacunaError('LLM_UNAVAILABLE', `the in-process model runtime (node-llama-cpp) did not load: ${firstLine(e)}`, 'Use an OpenAI-compatible model server (Ollama, LM Studio) instead.');
  }
  const llama = await lib.getLlama({ gpu: settings.gpu, build: 'never', logLevel: lib.LlamaLogLevel.error });
  let model: Loaded['model'];
  try {
    model = await llama.loadModel({ modelPath: settings.modelFile });
  } catch (e) {
    throw new LacunaError('LLM_UNAVAILABLE', `${basename(settings.modelFile)} is not a model llama.cpp can load: ${firstLine(e)}`, 'Choose a GGUF model file (the format llama.cpp, Ollama and LM Studio use).');
  }
  const grammar = await llama.createGrammarForJsonSchema(BOUNDED_REPLY_SCHEMA);
  return { lib, llama, model, grammar };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0].slice(0, 200);
}

/** The chat messages as node-llama-cpp's history: the system prompt, then alternating turns. */
function toHistory(messages: ChatPromptMessage[]): { history: ChatHistoryItem[]; last: string } {
  const history: ChatHistoryItem[] = [];
  for (const m of messages.slice(0, -1)) {
    if (m.role === 'system') history.push({ type: 'system', text: m.content });
    else if (m.role === 'user') history.push({ type: 'user', text: m.content });
    else history.push({ type: 'model', response: [m.content] });
  }
  return { history, last: messages.at(-1)?.content ?? '' };
}

export function ggufModel(settings: GgufSettings): ChatModel {
  return {
    id: 'gguf',
    name: basename(settings.modelFile),
    async complete(messages, signal) {
      const { lib, model, grammar } = await load(settings);
      const context = await model.createContext({ contextSize: { max: settings.contextSize }, ...(settings.threads && { threads: settings.threads }) });
      try {
        const session = new lib.LlamaChatSession({ contextSequence: context.getSequence() });
        const { history, last } = toHistory(messages);
        session.setChatHistory(history);
        const text = await session.prompt(last, {
          grammar,
          temperature: settings.temperature,
          seed: settings.seed,
          maxTokens: settings.maxTokens,
          signal,
          stopOnAbortSignal: false,
        });
        return text;
      } catch (e) {
        if (signal?.aborted) throw new LacunaError('CANCELLED', 'cancelled');
        throw new LacunaError('LLM_UNAVAILABLE', `${basename(settings.modelFile)} failed while answering: ${firstLine(e)}`, 'Try a smaller context or another model file.');
      } finally {
        await context.dispose();
      }
    },
  };
}

/** Frees every loaded model (tests, app shutdown). */
export async function disposeGgufModels(): Promise<void> {
  const all = [...loadedModels.values()];
  loadedModels.clear();
  for (const p of all) {
    const loaded = await p.catch(() => null);
    if (loaded) {
      await loaded.model.dispose();
      await loaded.llama.dispose();
    }
  }
}

export { REPLY_SCHEMA };

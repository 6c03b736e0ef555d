/**
 * Which language model reads a chat, as the CLI's flags and the app's settings say it: none
 * (Lite's grammar), a local OpenAI-compatible server, or a GGUF file in process.
 */
import type { ChatModel } from './chatTurn';
import { endpointModel } from './chatTurn';
import { DEFAULT_GGUF_SETTINGS, ggufModel } from './ggufModel';
import { DEFAULT_ENDPOINT_SETTINGS } from './openAiEndpoint';

export type ChatModelSpec =
  | { kind: 'none' }
  | { kind: 'endpoint'; url: string; model: string; apiKey?: string; timeoutSeconds?: number }
  | { kind: 'gguf'; file: string; threads?: number };

export function chatModelFrom(spec: ChatModelSpec, seed: number): ChatModel | null {
  if (spec.kind === 'endpoint') {
    return endpointModel({
      ...DEFAULT_ENDPOINT_SETTINGS,
      url: spec.url,
      model: spec.model,
      seed,
      ...(spec.apiKey && { apiKey: spec.apiKey }),
      ...(spec.timeoutSeconds && { timeoutSeconds: spec.timeoutSeconds }),
    });
  }
  if (spec.kind === 'gguf') return ggufModel({ ...DEFAULT_GGUF_SETTINGS, modelFile: spec.file, seed, ...(spec.threads && { threads: spec.threads }) });
  return null;
}

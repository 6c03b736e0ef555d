/**
 * A chat model behind an OpenAI-compatible endpoint on the user's machine: Ollama
 * (http://127.0.0.1:11434/v1), llama.cpp's server (:8080/v1), LM Studio (:1234/v1). One POST to
 * `<url>/chat/completions` with the reply's JSON schema as `response_format` (all three honour
 * it; a server that ignores it still usually answers JSON, and readModelReply copes with a
 * fence). Every failure becomes one sentence saying what to check.
 */
import { LacunaError } from '../util/errors';
import type { ChatPromptMessage } from './twoStagePrompt';
import { REPLY_SCHEMA } from './twoStagePrompt';

export interface EndpointSettings {
  /** Base URL up to and including /v1, e.g. http://127.0.0.1:11434/v1. */
  url: string;
  model: string;
  apiKey?: string;
  /** Seconds to wait for the whole answer. */
  timeoutSeconds: number;
  temperature: number;
  seed: number;
  maxTokens: number;
}

export const DEFAULT_ENDPOINT_SETTINGS = { timeoutSeconds: 120, temperature: 0.2, seed: 0, maxTokens: 512 } as const;

export function completionsUrl(base: string): URL {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new LacunaError('BAD_ARGUMENT', `"${base}" is not a URL`, 'Give the server\'s base URL, e.g. http://127.0.0.1:11434/v1 for Ollama.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new LacunaError('BAD_ARGUMENT', `"${base}" is not an http(s) URL`, 'Give the server\'s base URL, e.g. http://127.0.0.1:11434/v1.');
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/chat/completions') ? path : `${path}/chat/completions`;
  return url;
}

export async function endpointChat(settings: EndpointSettings, messages: ChatPromptMessage[], signal?: AbortSignal): Promise<string> {
  const url = completionsUrl(settings.url);
  const timeout = AbortSignal.timeout(settings.timeoutSeconds * 1000);
  const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(settings.apiKey && { authorization: `Bearer ${settings.apiKey}` }) },
      body: JSON.stringify({
        model: settings.model,
        messages,
        temperature: settings.temperature,
        seed: settings.seed,
        max_tokens: settings.maxTokens,
        stream: false,
        response_format: { type: 'json_schema', json_schema: { name: 'removal_reply', strict: true, schema: REPLY_SCHEMA } },
      }),
      signal: both,
    });
  } catch (e) {
    throw transportError(e, url, settings, signal);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (e) {
    throw transportError(e, url, settings, signal);
  }
  if (!response.ok) {
    const detail = serverMessage(text);
    const hint =
      response.status === 404
        ? `Check the model name ("${settings.model}" — with Ollama, \`ollama list\`) and that the URL ends in /v1.`
        : response.status === 401 || response.status === 403
          ? 'The server wants an API key: set one in the chat settings.'
          : 'Check the server\'s own log.';
    throw new LacunaError('LLM_UNAVAILABLE', `the model server at ${url.origin} answered ${response.status}${detail ? `: ${detail}` : ''}`, hint);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new LacunaError('LLM_UNAVAILABLE', `the server at ${url.origin} did not answer like an OpenAI-compatible chat endpoint`, 'Point the URL at the server\'s /v1 base, e.g. http://127.0.0.1:11434/v1.');
  }
  const content = (body as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
  if (typeof content !== 'string') {
    throw new LacunaError('LLM_UNAVAILABLE', `the server at ${url.origin} sent a reply with no message in it`, 'Point the URL at the server\'s /v1 base, e.g. http://127.0.0.1:11434/v1.');
  }
  return content;
}

function serverMessage(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { message?: unknown } | string }).error;
    const m = typeof e === 'string' ? e : e?.message;
    if (typeof m === 'string') return m.slice(0, 200);
  } catch {
    // Not JSON: the first line, briefly.
  }
  return text.split('\n')[0].slice(0, 200);
}

function transportError(e: unknown, url: URL, settings: EndpointSettings, signal?: AbortSignal): LacunaError {
  if (signal?.aborted) return new LacunaError('CANCELLED', 'cancelled');
  const name = (e as { name?: string }).name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new LacunaError('LLM_UNAVAILABLE', `the model at ${url.origin} did not answer within ${settings.timeoutSeconds} s`, 'A large model on a CPU can be slow: raise the time limit, or use a smaller model.');
  }
  const code = (e as { cause?: { code?: string } }).cause?.code;
  const why = code === 'ECONNREFUSED' ? 'nothing is listening there' : code === 'ENOTFOUND' ? 'that host name is unknown' : code ?? (e as Error).message;
  return new LacunaError('LLM_UNAVAILABLE', `could not reach a model server at ${url.origin} (${why})`, 'Start it (e.g. `ollama serve`) or correct the URL in the chat settings.');
}

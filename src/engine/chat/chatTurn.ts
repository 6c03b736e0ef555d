/**
 * One turn of the chat task: the user's request (and the conversation so far) in, the
 * assistant's answer and the instruction it settled on out. Which reader answers is the user's
 * choice: Lite's grammar with no model, a local model in process (GGUF), a local
 * OpenAI-compatible server, or LGVI-I itself. A model's instruction the grammar cannot read is
 * dropped with a word to the user: nothing is removed on an unclear answer.
 */
import { LacunaError } from '../util/errors';
import { endpointChat, type EndpointSettings } from './openAiEndpoint';
import { MAX_CHAT_MESSAGE, plainInstruction } from './plainInstruction';
import { readableInstruction, readModelReply, twoStageMessages, type ChatPromptMessage } from './twoStagePrompt';
import type { ChatDecision, ChatMessage } from './types';

/** A language model that takes chat messages and returns text (JSON by the reply schema). */
export interface ChatModel {
  readonly id: 'gguf' | 'endpoint';
  /** How the model is named to the user ("llama3.2 at 127.0.0.1:11434"). */
  readonly name: string;
  complete(messages: ChatPromptMessage[], signal?: AbortSignal): Promise<string>;
}

export function endpointModel(settings: EndpointSettings): ChatModel {
  return {
    id: 'endpoint',
    name: `${settings.model} at ${new URL(settings.url).host}`,
    complete: (messages, signal) => endpointChat(settings, messages, signal),
  };
}

export interface ChatTurnInput {
  request: string;
  history: readonly ChatMessage[];
  /** No model: Lite's grammar reads the request. */
  model: ChatModel | null;
  /** The first frame in words; asked for only when a model will read it. */
  scene: () => Promise<string>;
  signal?: AbortSignal;
}

export async function chatTurn(input: ChatTurnInput): Promise<ChatDecision> {
  const request = input.request.trim();
  if (!request) throw new LacunaError('BAD_ARGUMENT', 'the message is empty', 'Say what should go, e.g. "can you remove the bird on the left?".');
  if (request.length > MAX_CHAT_MESSAGE) {
    throw new LacunaError('BAD_ARGUMENT', `the message is ${request.length} characters long; at most ${MAX_CHAT_MESSAGE} are read`, 'Say in a sentence or two what should go.');
  }
  // Undo needs no model, and must not depend on one being reachable.
  const plain = plainInstruction(request, input.history);
  if (!input.model || plain.undo) return plain;

  const messages = twoStageMessages(await input.scene(), input.history, request);
  const reply = readModelReply(await input.model.complete(messages, input.signal), input.model.name);
  if (reply.instruction) {
    const readable = readableInstruction(reply.instruction);
    if (!readable.ok) {
      return {
        answer: `${reply.answer}\n(The model suggested "${reply.instruction}", which the removal engine cannot read: ${readable.why} Nothing was removed; say it plainly, or edit the instruction.)`,
        instruction: null,
        responder: input.model.id,
      };
    }
  }
  return { answer: reply.answer, instruction: reply.instruction, responder: input.model.id };
}

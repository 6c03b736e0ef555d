/**
 * What a local language model is asked in the two-stage mode, and how its answer is read. The
 * model returns JSON (constrained by a JSON-schema grammar where the runtime supports it), so
 * the answer is always parseable: `answer` for the user, `instruction` a plain referring
 * expression for the removal engine, or null when the request is unclear. An instruction the
 * engine's grammar cannot read is treated as no instruction: nothing is removed on a guess.
 */
import { parseExpression } from '../lite/expression';
import { LacunaError } from '../util/errors';
import type { ChatMessage } from './types';

export const REPLY_SCHEMA = {
  type: 'object',
  properties: {
    answer: { type: 'string', description: 'a short reply to the user, in plain words' },
    instruction: {
      type: ['string', 'null'],
      description: 'a plain removal instruction such as "remove the bird on the left", or null if unclear',
    },
  },
  required: ['answer', 'instruction'],
  additionalProperties: false,
} as const;

export const SYSTEM_PROMPT = [
  'You are the assistant of a video editing tool that removes objects from a shot.',
  'The user talks about a shot; you are told which objects a detector sees in its first frame.',
  'Decide what the user wants removed and reply with JSON only: {"answer": string, "instruction": string or null}.',
  '"answer" is one or two friendly sentences to the user saying what you will do.',
  '"instruction" is one plain command naming the objects by kind and position, such as',
  '"remove the bird on the left", "remove both dogs", "remove everyone except the man on the right",',
  'or "keep only the pelican". Use only kinds of object from the list you are given.',
  'If the request is unclear or names nothing in the shot, set "instruction" to null and ask in "answer".',
].join('\n');

export interface ChatPromptMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The conversation as chat messages: system prompt with the scene, then the turns so far, then the new request. */
export function twoStageMessages(scene: string, history: readonly ChatMessage[], request: string): ChatPromptMessage[] {
  return [
    { role: 'system', content: `${SYSTEM_PROMPT}\n\n${scene}` },
    ...history.map((m) => ({
      role: m.role,
      content: m.role === 'assistant' ? JSON.stringify({ answer: m.text, instruction: m.instruction ?? null }) : m.text,
    })),
    { role: 'user', content: request },
  ];
}

export interface ModelReply {
  answer: string;
  instruction: string | null;
}

/** Reads the model's text as a reply; models that ignore the grammar sometimes wrap JSON in a code fence. */
export function readModelReply(text: string, modelName: string): ModelReply {
  const body = text.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    const start = body.indexOf('{');
    const end = body.lastIndexOf('}');
    try {
      value = start >= 0 && end > start ? JSON.parse(body.slice(start, end + 1)) : undefined;
    } catch {
      value = undefined;
    }
  }
  const record = value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  const answer = typeof record?.answer === 'string' ? record.answer.trim() : '';
  const instruction = typeof record?.instruction === 'string' && record.instruction.trim() ? record.instruction.trim() : null;
  if (!answer && !instruction) {
    return { answer: `${modelName} gave no answer I could read, so nothing was removed. Try again, or say plainly what should go.`, instruction: null };
  }
  return { answer: answer || `I'll ${instruction}.`, instruction };
}

/**
 * Whether the Lite engine's grammar reads the instruction. LGVI reads any words, but the
 * instruction is also what the user confirms, so it must at least name something.
 */
export function readableInstruction(instruction: string): { ok: true } | { ok: false; why: string } {
  try {
    parseExpression(instruction);
    return { ok: true };
  } catch (e) {
    if (e instanceof LacunaError) return { ok: false, why: e.message };
    throw e;
  }
}

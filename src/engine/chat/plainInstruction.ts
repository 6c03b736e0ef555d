/**
 * The chat task with no language model at all: Lite's grammar finds the request inside a polite
 * or conversational message ("could you remove the dog?", "I love this shot of the pelican, but
 * another bird sneaks in; can you make it only about the pelican?") and turns it into a plain
 * instruction. Where it cannot, it says so and what would work, and nothing is removed: a guess
 * that removes the wrong object costs the user more than a question.
 *
 * What it resolves beyond the grammar: the request among remarks (the last clause that asks for
 * something), stand-in words ("take him out", "lose them") from the object named just before
 * in the message or in the conversation, "the other one" from the class of the last instruction,
 * and "undo that".
 */
import { asksForRemoval, EXAMPLE_PHRASINGS, parseExpression, STAND_IN_WORDS, tokenize, type ParsedExpression } from '../lite/expression';
import { LacunaError } from '../util/errors';
import { splitClauses } from './clauses';
import type { ChatDecision, ChatMessage } from './types';

/** Longest message read, as for a removal expression in the API. */
export const MAX_CHAT_MESSAGE = 2000;

const UNDO = /^\s*(?:please\s+)?(?:undo|revert|go back|put (?:it|him|her|them) back|bring (?:it|him|her|them) back)\b/i;
const POLITE_LEAD = /^(?:(?:hi|hey|hello|ok|okay|so|now|then|and|also|please|pls|kindly|can you|could you|would you|will you|can u|could u)\b[\s,]*)+/i;

export function plainInstruction(message: string, history: readonly ChatMessage[] = []): ChatDecision {
  if (message.length > MAX_CHAT_MESSAGE) {
    throw new LacunaError('BAD_ARGUMENT', `the message is ${message.length} characters long; at most ${MAX_CHAT_MESSAGE} are read`, 'Say in a sentence or two what should go.');
  }
  if (UNDO.test(message)) return { answer: 'Undoing the last removal: the clip goes back to the take before it.', instruction: null, undo: true, responder: 'parser' };

  const clauses = splitClauses(message);
  const requests = clauses.filter(asksForRemoval);
  // A bare description ("the bird on the left") is a request too, when it is all there is and
  // the grammar uses every word of it.
  const chosen = requests.length > 0 ? requests[requests.length - 1] : clauses.length === 1 && readsWhole(clauses[0]) ? clauses[0] : null;
  if (!chosen) return needsModel('I could not find a request to remove something in that.');

  // Stand-ins are resolved only where the clause does not name its object on its own: the "it"
  // of "make it only about the pelican" is the shot, not an object.
  let resolved = chosen;
  let parsed = tryParse(chosen);
  if (!parsed || parsed.targets.some(isStandIn)) {
    const before = clauses.slice(0, clauses.indexOf(chosen));
    const substituted = resolveStandIns(chosen, before, history);
    if (!substituted) return needsModel(`"${chosen}" does not say which object, and nothing named before it does.`);
    resolved = substituted;
    try {
      parsed = parseExpression(resolved);
    } catch (e) {
      if (e instanceof LacunaError) return needsModel(e.message);
      throw e;
    }
    if (parsed.targets.some(isStandIn)) return needsModel(`"${chosen}" does not say which object, and nothing named before it does.`);
  }
  const instruction = plain(resolved);
  const what = parsed.targets.map((t) => t.text).join(' and ');
  const except = parsed.exceptions.length ? ` except ${parsed.exceptions.map((t) => t.text).join(' and ')}` : '';
  const answer = parsed.action === 'keepOnly' ? `I'll keep only ${what} and remove everything else.` : `I'll remove ${what}${except}.`;
  return { answer, instruction, responder: 'parser' };
}

function tryParse(text: string): ParsedExpression | null {
  try {
    return parseExpression(text);
  } catch (e) {
    if (e instanceof LacunaError) return null;
    throw e;
  }
}

function readsWhole(clause: string): boolean {
  const parsed = tryParse(clause);
  return parsed !== null && parsed.ignored.length === 0 && parsed.targets.every((t) => t.classes !== null);
}

/** A target that is only a stand-in ("the other one", "him"): it names no kind of object. */
function isStandIn(t: ParsedExpression['targets'][number]): boolean {
  return t.classes === null && t.nounImplied && t.count.kind !== 'all';
}

/** The clause without greetings and politeness in front and punctuation behind. */
function plain(clause: string): string {
  return clause.replace(POLITE_LEAD, '').replace(/[\s?!.,]+$/, '').trim();
}

/**
 * Replaces a stand-in word with the object it stands for. "the other one" takes the noun of the
 * last instruction ("the other bird"); "him"/"it"/"them" the last object named, in this message
 * first, then in the user's earlier messages. Null when a stand-in has nothing to stand for.
 */
function resolveStandIns(clause: string, before: readonly string[], history: readonly ChatMessage[]): string | null {
  const words = clause.split(/\s+/);
  const lower = words.map((w) => tokenize(w)[0] ?? '');
  const at = lower.findIndex((w) => STAND_IN_WORDS.has(w));
  if (at < 0) return clause;
  if (lower[at] === 'one' || lower[at] === 'ones') {
    const noun = lastInstructionNoun(history);
    if (!noun) return null;
    words[at] = lower[at] === 'ones' ? noun.plural : noun.singular;
    return words.join(' ');
  }
  const earlier = [...before].reverse().concat(history.filter((m) => m.role === 'user').map((m) => m.text).reverse().flatMap((t) => splitClauses(t).reverse()));
  for (const candidate of earlier) {
    const phrase = namedObject(candidate);
    if (phrase) {
      words[at] = phrase;
      return words.join(' ');
    }
  }
  return null;
}

/** The object a clause names, in its own words without the words the grammar did not use. */
function namedObject(clause: string): string | null {
  try {
    const parsed = parseExpression(clause);
    if (!parsed.targets.some((t) => t.classes !== null)) return null;
    const unused = new Set(parsed.ignored);
    const words = clause.split(/\s+/).filter((w) => !unused.has(tokenize(w)[0] ?? ''));
    return plain(words.join(' ').replace(/^(?:remove|erase|delete)\s+/i, '')) || null;
  } catch {
    return null;
  }
}

function lastInstructionNoun(history: readonly ChatMessage[]): { singular: string; plural: string } | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const instruction = history[i].instruction;
    if (!instruction) continue;
    try {
      const target = parseExpression(instruction).targets.find((t) => t.classes !== null);
      if (target) return target.noun;
    } catch {
      // An instruction the grammar cannot read names no noun to borrow.
    }
  }
  return null;
}

function needsModel(why: string): ChatDecision {
  return {
    answer:
      `${why} Without a language model I understand plain requests such as ${EXAMPLE_PHRASINGS.slice(0, 3).map((p) => `"${p}"`).join(', ')}. ` +
      'For conversation, set up a local model: a GGUF file, or an OpenAI-compatible server such as Ollama or LM Studio.',
    instruction: null,
    responder: 'parser',
  };
}

/**
 * Whether a clause asks for something to go (a remove verb, a keep-only form, "make … about",
 * "make … disappear"), as opposed to a remark about the shot ("I love this shot of the pelican").
 * The chat task uses it to find the request inside a conversational message.
 */
import { DISAPPEAR_TAILS, KEEP_ONLY_VERBS, MAKE_ABOUT_MARKERS, REFERRING_PRONOUNS, REMOVE_VERBS } from './phraseWords';
import { longestPhraseAt, tokenize } from './tokens';

const CUES = [...REMOVE_VERBS, ...KEEP_ONLY_VERBS, ...MAKE_ABOUT_MARKERS, ...DISAPPEAR_TAILS];

export function asksForRemoval(clause: string): boolean {
  const tokens = tokenize(clause);
  return tokens.some((_, i) => longestPhraseAt(tokens, i, CUES) > 0);
}

/** Words that stand for an object named elsewhere ("take him out", "lose them", "the other one"). */
export const STAND_IN_WORDS: ReadonlySet<string> = new Set([...REFERRING_PRONOUNS, 'them', 'one', 'ones']);

/**
 * Turning a typed command into the tokens the grammar reads: lower case, apostrophes dropped
 * ("let's" → "lets", "i'd" → "id") except a possessive, which becomes its own token POSSESSIVE
 * ("the dog's shadow" → the dog POSSESSIVE shadow: the shadow, not the dog, is meant), hyphens
 * and slashes split ("left-hand" → "left hand"),
 * "&" read as "and", commas kept as their own token (they separate targets). Everything else that
 * is not a letter or digit separates words. Plus the phrase-matching helpers the grammar uses.
 */

/** The token a possessive "'s" or "s'" becomes. Not a word, so it never collides with one. */
export const POSSESSIVE = "'s";

/** Contractions ending in 's that are not possessives. */
const S_CONTRACTIONS = /\b(let|that|it|who|what|there|here|he|she|where)'s\b/g;

export function tokenize(text: string): string[] {
  const normal = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(S_CONTRACTIONS, '$1s')
    .replace(/([a-z0-9])'s\b/g, `$1 ${POSSESSIVE} `)
    .replace(/([a-z0-9]s)'(?=\s|$)/g, `$1 ${POSSESSIVE} `)
    .replace(/'(?!s )/g, '') // every other apostrophe: "i'd" → "id"
    .replace(/&/g, ' and ')
    .replace(/,/g, ' , ');
  // "left most"/"left-most" → "leftmost": one word whether written with a space, hyphen or not.
  const tokens = normal.match(/[a-z0-9]+|,|'s/g) ?? [];
  const merged: string[] = [];
  for (const token of tokens) {
    const previous = merged[merged.length - 1];
    if (token === 'most' && previous !== undefined && /^(?:left|right|top|bottom|upper|lower|front|rear|center|centre|hind|inner|outer)$/.test(previous)) {
      merged[merged.length - 1] = previous + token;
    } else {
      merged.push(token);
    }
  }
  return merged;
}

/** True when `phrase` occurs in `tokens` starting at `at`. */
export function phraseAt(tokens: readonly string[], at: number, phrase: readonly string[]): boolean {
  if (at + phrase.length > tokens.length) return false;
  for (let k = 0; k < phrase.length; k++) if (tokens[at + k] !== phrase[k]) return false;
  return true;
}

/** Length of the longest of `phrases` starting at `at`, 0 if none does. */
export function longestPhraseAt(tokens: readonly string[], at: number, phrases: readonly (readonly string[])[]): number {
  let best = 0;
  for (const phrase of phrases) if (phrase.length > best && phraseAt(tokens, at, phrase)) best = phrase.length;
  return best;
}

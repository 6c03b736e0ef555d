/**
 * The two ways a description can fail before any track is looked at, as user-facing errors:
 * text that is not a description of objects at all (BAD_ARGUMENT, with phrasings that work), and
 * an object the Lite detector has no class for (UNSUPPORTED, with what it does know, grouped, and
 * the nearest known word when the user probably mistyped one).
 */
import { LacunaError } from '../../util/errors';
import { knownClassesByGroup, NOUN_LEXICON } from './vocabulary';

/** Phrasings that work, shown whenever a description could not be read. */
export const EXAMPLE_PHRASINGS: readonly string[] = [
  'remove the bird on the left',
  'erase both birds',
  'remove everyone except the man on the right',
  'remove the red car and the dog',
  'only keep the second person from the left',
];

export function unparseableExpression(text: string, why: string): LacunaError {
  return new LacunaError(
    'BAD_ARGUMENT',
    `Couldn't read "${text.trim()}" as a description of what to remove: ${why}.`,
    `Name the objects and, if needed, which ones, e.g. ${EXAMPLE_PHRASINGS.map((p) => `"${p}"`).join(', ')}. ` +
      'Or draw a matte and pass it with --mask.',
  );
}

export function unknownObject(word: string): LacunaError {
  const suggestion = nearestKnownWord(word);
  const didYouMean = suggestion ? ` Did you mean "${suggestion}"?` : '';
  return new LacunaError(
    'UNSUPPORTED',
    `The Lite engine's detector doesn't know what "${word}" is, so it can't find one in the clip.${didYouMean}`,
    `It recognises these kinds of object (and common words for them) — ${knownClassesByGroup()}. ` +
      `Describe the object as one of those (e.g. "${EXAMPLE_PHRASINGS[0]}"), or draw a matte and pass it with --mask.`,
  );
}

/** Edit distance, stopping early once it exceeds `limit` (the caller only cares about near misses). */
function editDistanceWithin(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** The closest vocabulary word to a mistyped one ("girafe" → "giraffe"), if one is close enough. */
function nearestKnownWord(word: string): string | null {
  // Short words are too easily one edit from an unrelated word ("cap" → "cat"): demand more.
  const limit = word.length <= 3 ? 0 : word.length <= 5 ? 1 : 2;
  if (limit === 0) return null;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const known of NOUN_LEXICON.keys()) {
    const d = editDistanceWithin(word, known, limit);
    if (d < bestDistance) {
      bestDistance = d;
      best = known;
    }
  }
  return best;
}

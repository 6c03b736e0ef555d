/**
 * Words for explanations: what a target's qualifiers pick ("the left one", "the second one from
 * the left"), how a count was asked for ("both budgies"), and what the detector found ("2 birds,
 * 1 person"). Kept apart from the selection logic so every message is phrased one way.
 */
import type { Count, Qualifier, Target } from './ast';
import { countNoun, listAnd, numberWord, ordinalWord, pluralOf } from './inflection';
import type { TrackPlacement } from './trackPlacement';
import { classOfLabel } from './vocabulary';

const ORDER_WORDS = { largest: 'largest', smallest: 'smallest' } as const;

/** A position as a phrase after the noun: "on the left", "at the top", "in the middle". */
function positionPhrase(words: readonly string[], wheres: readonly string[]): string {
  if (wheres.length === 1 && wheres[0] === 'middle') return 'in the middle';
  const vertical = wheres.some((w) => w === 'top' || w === 'bottom');
  return `${vertical ? 'at' : 'on'} the ${words.join(' ')}`;
}

/**
 * "the left one", "the top left ones", "the big red one on the left", "the second one from the
 * left"; null without qualifiers. Positions read as adjectives on their own ("the left one") and
 * as a phrase after other adjectives ("the red one on the left").
 */
export function describeQualifiers(qualifiers: readonly Qualifier[], plural: boolean, n?: number): string | null {
  if (qualifiers.length === 0) return null;
  const adjectives: string[] = [];
  const positionWords: string[] = [];
  const wheres: string[] = [];
  let ordinal: Extract<Qualifier, { kind: 'ordinal' }> | null = null;
  for (const q of qualifiers) {
    if (q.kind === 'ordinal') ordinal ??= q;
    else if (q.kind === 'position') {
      positionWords.push(q.word);
      wheres.push(q.where);
    } else adjectives.push(q.word);
  }
  const count = n !== undefined && n > 1 ? `${numberWord(n)} ` : '';
  const head = plural ? 'ones' : 'one';
  const lead = adjectives.length > 0 ? `${adjectives.join(' ')} ` : '';
  if (ordinal) {
    const rank = ordinalWord(ordinal.rank);
    const where = positionWords.length > 0 ? ` ${positionPhrase(positionWords, wheres)}` : '';
    if (ordinal.from === 'largest' || ordinal.from === 'smallest') {
      return `the ${count}${rank} ${ORDER_WORDS[ordinal.from]} ${lead}${head}${where}`;
    }
    return `the ${count}${rank} ${lead}${head} from the ${ordinal.from}${where}`;
  }
  if (positionWords.length === 0) return `the ${count}${lead}${head}`;
  if (adjectives.length === 0) return `the ${count}${positionWords.join(' ')} ${head}`;
  return `the ${count}${lead}${head} ${positionPhrase(positionWords, wheres)}`;
}

/** How the count was asked for: "both budgies", "all people", "the budgie", "a budgie", "3 budgies". */
export function describeCount(count: Count, target: Target): string {
  const { singular, plural } = target.noun;
  switch (count.kind) {
    case 'the':
      return `the ${singular}`;
    case 'any':
      return `${/^[aeiou]/.test(singular) ? 'an' : 'a'} ${singular}`;
    case 'exactly':
      return `${count.word} ${plural}`;
    case 'all':
      return `all ${plural}`;
  }
}

/** The noun for a detector label as people read it ("bird", "cell phone"), from the vocabulary when known. */
function labelNoun(label: string): string {
  return classOfLabel(label) ?? label;
}

/**
 * What the detector calls a group: "bird"/"birds" when all are of one class, else
 * "object"/"objects". For describing what was found, where the user's word may not fit
 * ("found 3 people", not "found 3 men" when some may be women).
 */
export function groupNoun(placements: readonly TrackPlacement[]): { singular: string; plural: string } {
  const nouns = new Set(placements.map((p) => labelNoun(p.track.label)));
  if (nouns.size !== 1) return { singular: 'object', plural: 'objects' };
  const [noun] = nouns;
  return { singular: noun, plural: pluralOf(noun) };
}

/** "2 birds and 1 person": what the detector found among `placements`, most numerous first. */
export function foundSummary(placements: readonly TrackPlacement[]): string {
  if (placements.length === 0) return 'nothing the detector recognises';
  const counts = new Map<string, number>();
  for (const p of placements) {
    const noun = labelNoun(p.track.label);
    counts.set(noun, (counts.get(noun) ?? 0) + 1);
  }
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return listAnd(parts.map(([noun, n]) => countNoun(n, noun, pluralOf(noun))));
}

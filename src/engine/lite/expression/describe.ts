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

/** "the left one", "the big red ones", "the second one from the left"; null without qualifiers. */
export function describeQualifiers(qualifiers: readonly Qualifier[], plural: boolean, n?: number): string | null {
  if (qualifiers.length === 0) return null;
  const adjectives: string[] = [];
  let ordinal: Extract<Qualifier, { kind: 'ordinal' }> | null = null;
  for (const q of qualifiers) {
    if (q.kind === 'ordinal') ordinal ??= q;
    else if (q.kind === 'size' || q.kind === 'position' || q.kind === 'colour') adjectives.push(q.word);
  }
  const count = n !== undefined && n > 1 ? `${numberWord(n)} ` : '';
  const head = plural ? 'ones' : 'one';
  if (ordinal) {
    const rank = ordinalWord(ordinal.rank);
    const rest = adjectives.length > 0 ? ` ${adjectives.join(' ')}` : '';
    if (ordinal.from === 'largest' || ordinal.from === 'smallest') {
      return `the ${count}${rank} ${ORDER_WORDS[ordinal.from]}${rest} ${head}`;
    }
    return `the ${count}${rank}${rest} ${head} from the ${ordinal.from}`;
  }
  return `the ${count}${adjectives.join(' ')} ${head}`;
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
export function labelNoun(label: string): string {
  return classOfLabel(label) ?? label;
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

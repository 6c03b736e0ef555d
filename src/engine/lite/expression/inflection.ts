/**
 * English noun number for the expression parser and its explanations: the parser needs both forms
 * of every vocabulary word to recognise "budgies" as well as "budgie", and explanations must say
 * "1 of 2 budgies" / "3 people" in the user's own word. Multi-word names inflect their last word
 * ("teddy bear" → "teddy bears", "police officer" → "police officers").
 */

/** Plurals no suffix rule produces. Invariant nouns map to themselves. */
const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  mouse: 'mice',
  goose: 'geese',
  ox: 'oxen',
  foot: 'feet',
  tooth: 'teeth',
  knife: 'knives',
  calf: 'calves',
  wolf: 'wolves',
  leaf: 'leaves',
  shelf: 'shelves',
  life: 'lives',
  wife: 'wives',
  sheep: 'sheep',
  deer: 'deer',
  fish: 'fish',
  broccoli: 'broccoli',
  scissors: 'scissors',
  skis: 'skis',
  cattle: 'cattle',
  people: 'people',
  passerby: 'passersby',
  aircraft: 'aircraft',
  furniture: 'furniture',
  luggage: 'luggage',
  cutlery: 'cutlery',
  silverware: 'silverware',
  livestock: 'livestock',
  poultry: 'poultry',
  food: 'food',
  tv: 'tvs',
};

function pluralOfWord(word: string): string {
  const irregular = IRREGULAR_PLURALS[word];
  if (irregular !== undefined) return irregular;
  // Compounds of "man"/"woman" inflect like their last part: policeman → policemen.
  if (/(?:wo)?man$/.test(word) && !/(?:hu|ger|ro|sha|ta|o)man$/.test(word)) return word.replace(/man$/, 'men');
  if (/(?:s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** The plural of a (possibly multi-word) noun: only the last word inflects. */
export function pluralOf(noun: string): string {
  const space = noun.lastIndexOf(' ');
  if (space < 0) return pluralOfWord(noun);
  return `${noun.slice(0, space + 1)}${pluralOfWord(noun.slice(space + 1))}`;
}

/** "1 budgie", "2 budgies", "0 budgies": the count followed by the right form of the noun. */
export function countNoun(n: number, singular: string, plural = pluralOf(singular)): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Small counts spelled out as people write them in prose ("two birds"), digits beyond ten. */
const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

/** "first", "second", … for ordinal explanations; "11th" etc. beyond the spelled-out range. */
const ORDINAL_WORDS = ['zeroth', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
export function ordinalWord(n: number): string {
  const word = ORDINAL_WORDS[n];
  if (word !== undefined) return word;
  const lastTwo = n % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** "a, b and c" */
export function listAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "a, b or c" */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * The grammar of removal commands: typed text → ParsedExpression (ast.ts). No model: a small
 * hand-written grammar over a generous vocabulary, because the commands are short and formulaic
 * ("remove the bird on the left", "everyone except the man on the right", "only keep the dog")
 * and every decision must be explainable back to the user.
 *
 * Reading order:
 *   1. tokens, minus politeness ("please", "can you") and scene phrases ("from the shot");
 *   2. the action: a remove verb ("erase", "get rid of", "make … disappear") or a keep-only form
 *      ("only the pelican", "just keep …", "make this shot only about …"); no verb = remove;
 *   3. exceptions split off ("except", "but", "other than", "but keep");
 *   4. each side split into targets at "and" / "," ("the dog and the girl");
 *   5. each target read as a noun phrase: determiner/count, qualifiers (position, size, ordinal,
 *      colour) before or after the noun, the noun itself (longest vocabulary match);
 *   6. nouns left out are borrowed ("the red one" after "all birds but" is a bird).
 */
import type { Count, OrderFrom, ParsedExpression, Qualifier, Target } from './ast';
import { unknownObject, unparseableExpression } from './expressionErrors';
import { ordinalWord } from './inflection';
import {
  CONJUNCTIONS,
  DEFINITE_DETERMINERS,
  DISAPPEAR_TAILS,
  EXCEPTION_LEADS,
  EXCEPTION_MARKERS,
  FILLER_PHRASES,
  FRAME_PART_WORDS,
  FROM_END_ORDINALS,
  FUNCTION_WORDS,
  INDEFINITE_DETERMINERS,
  INTENSIFIERS_BEFORE_POSITION,
  KEEP_ONLY_VERBS,
  MAKE_ABOUT_MARKERS,
  NUMBER_WORDS,
  ORDINAL_WORDS,
  PHRASE_ONLY_NOUNS,
  POSITION_WORDS,
  PREPOSITIONS,
  PRONOUN_HEADS,
  REFERRING_PRONOUNS,
  REMOVE_VERBS,
  SCENE_DETERMINERS,
  SCENE_NOUNS,
  SCENE_PREPOSITIONS,
  SIZE_WORDS,
  UNIVERSAL_DETERMINERS,
  VERB_PARTICLES,
} from './phraseWords';
import { longestPhraseAt, phraseAt, POSSESSIVE, tokenize } from './tokens';
import { COLOUR_MODIFIERS, COLOUR_WORDS, LONGEST_NOUN_WORDS, NOUN_LEXICON, type CocoClass, type NounEntry } from './vocabulary';

/** Parses a referring expression. Throws LacunaError BAD_ARGUMENT (unreadable) or UNSUPPORTED (unknown object). */
export function parseExpression(text: string): ParsedExpression {
  const tokens = removeScenePhrases(removeFillers(tokenize(text)));
  if (tokens.length === 0) throw unparseableExpression(text, 'it names nothing to remove');
  const { action, rest, hasVerb } = readAction(tokens);
  if (rest.length === 0) throw unparseableExpression(text, 'it says what to do but not to which objects');

  const { main, except } = splitException(rest);
  const ignored: string[] = [];
  const mainPhrases = main.length > 0 ? readTargetList(main) : [];
  const exceptPhrases = except ? readTargetList(except) : [];
  // "all but one bird": a bare "all" takes its noun from a counted exception (all birds but one),
  // whereas "all but the dog" keeps meaning everything.
  const bare = mainPhrases.length === 1 && nounOf(mainPhrases[0]) === null && mainPhrases[0].headOne === null ? mainPhrases[0] : null;
  const counted = exceptPhrases[0];
  if (bare && counted?.head && (counted.number !== null || counted.determiner === 'any')) bare.head = counted.head;
  if (except && exceptPhrases.length === 0) throw unparseableExpression(text, 'it says "except" but not except what');

  // "except the dog" on its own means everything except the dog.
  const targets = mainPhrases.length > 0 ? toTargets(mainPhrases, null, text, hasVerb, ignored) : [everythingTarget()];
  const exceptions = toTargets(exceptPhrases, targets, text, true, ignored);
  return { action, targets, exceptions, ignored, text };
}

// ---------------------------------------------------------------- clause level

function removeFillers(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const len = longestPhraseAt(tokens, i, FILLER_PHRASES);
    if (len > 0) i += len;
    else out.push(tokens[i++]);
  }
  return out;
}

/** Drops "from the shot", "out of this clip", "in frame", "of the picture": where, not what. */
function removeScenePhrases(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (SCENE_PREPOSITIONS.has(tokens[i])) {
      let j = i + 1;
      while (j < tokens.length && (SCENE_PREPOSITIONS.has(tokens[j]) || SCENE_DETERMINERS.has(tokens[j]))) j++;
      if (j < tokens.length && SCENE_NOUNS.has(tokens[j])) {
        i = j + 1;
        continue;
      }
    }
    out.push(tokens[i++]);
  }
  return out;
}

function readAction(tokens: string[]): { action: ParsedExpression['action']; rest: string[]; hasVerb: boolean } {
  // "just remove", "only erase": the adverb qualifies the verb, not the objects.
  const start = ['just', 'only', 'simply'].includes(tokens[0]) && longestPhraseAt(tokens, 1, REMOVE_VERBS) > 0 ? 1 : 0;
  const verb = longestPhraseAt(tokens, start, REMOVE_VERBS);
  if (verb > 0) {
    let i = start + verb;
    while (i < tokens.length && VERB_PARTICLES.has(tokens[i])) i++;
    let end = tokens.length;
    // "take the dog out", "cut him away": the particle trails the object.
    while (end > i && VERB_PARTICLES.has(tokens[end - 1])) end--;
    return { action: 'remove', rest: tokens.slice(i, end), hasVerb: true };
  }
  if (tokens[0] === 'make') {
    for (let k = 1; k < tokens.length; k++) {
      const about = longestPhraseAt(tokens, k, MAKE_ABOUT_MARKERS);
      if (about > 0) return { action: 'keepOnly', rest: tokens.slice(k + about), hasVerb: true };
    }
    for (const tail of DISAPPEAR_TAILS) {
      if (phraseAt(tokens, tokens.length - tail.length, tail)) {
        return { action: 'remove', rest: tokens.slice(1, tokens.length - tail.length), hasVerb: true };
      }
    }
  }
  const keep = longestPhraseAt(tokens, 0, KEEP_ONLY_VERBS);
  if (keep > 0) {
    // "keep the left bird, remove the rest": the second clause only restates the inverse.
    let end = tokens.length;
    for (let k = keep; k < tokens.length; k++) {
      if ((tokens[k] === ',' || tokens[k] === 'and') && longestPhraseAt(tokens, k + 1, REMOVE_VERBS) > 0) {
        end = k;
        break;
      }
    }
    return { action: 'keepOnly', rest: tokens.slice(keep, end), hasVerb: true };
  }
  return { action: 'remove', rest: tokens, hasVerb: false };
}

function splitException(tokens: string[]): { main: string[]; except: string[] | null } {
  for (let i = 0; i < tokens.length; i++) {
    const len = longestPhraseAt(tokens, i, EXCEPTION_MARKERS);
    if (len === 0) continue;
    let j = i + len;
    while (j < tokens.length && EXCEPTION_LEADS.has(tokens[j])) j++;
    // A list separator before the marker belongs to neither side ("everyone, except the man").
    const main = tokens.slice(0, i);
    while (main.length > 0 && main[main.length - 1] === ',') main.pop();
    return { main, except: tokens.slice(j) };
  }
  return { main: tokens, except: null };
}

const isColourToken = (t: string | undefined): boolean => t !== undefined && (COLOUR_WORDS.has(t) || COLOUR_MODIFIERS.has(t));

/** Splits at "and" / "," / "plus" — except between colours ("the black and white dog" is one dog). */
function splitTargets(tokens: string[]): { tokens: string[]; afterComma: boolean }[] {
  const parts: { tokens: string[]; afterComma: boolean }[] = [];
  let current: string[] = [];
  let afterComma = false;
  for (let i = 0; i < tokens.length; ) {
    const len = longestPhraseAt(tokens, i, CONJUNCTIONS);
    if (len > 0 && !(tokens[i] === 'and' && isColourToken(tokens[i - 1]) && isColourToken(tokens[i + 1]))) {
      if (current.length > 0) parts.push({ tokens: current, afterComma });
      current = [];
      afterComma = len === 1 && tokens[i] === ',';
      i += len;
      continue;
    }
    current.push(tokens[i++]);
  }
  if (current.length > 0) parts.push({ tokens: current, afterComma });
  // "both the dog and the girl": "both" announces the pair, it is not a count of dogs.
  if (parts.length > 1 && parts[0].tokens[0] === 'both') parts[0].tokens = parts[0].tokens.slice(1);
  return parts.filter((p) => p.tokens.length > 0);
}

/**
 * The noun phrases of a list. An apposition — "the bird, the one on the left" — narrows the
 * phrase before it instead of adding a target: after a bare comma, a "one" phrase with
 * qualifiers joins a preceding noun that has none.
 */
function readTargetList(tokens: string[]): NounPhrase[] {
  const phrases: NounPhrase[] = [];
  for (const part of splitTargets(tokens)) {
    const np = readNounPhrase(part.tokens);
    const previous = phrases[phrases.length - 1];
    const apposition =
      part.afterComma && previous !== undefined && nounOf(previous) !== null && previous.qualifiers.length === 0 &&
      np.headOne !== null && np.qualifiers.length > 0;
    if (apposition) {
      previous.qualifiers.push(...np.qualifiers);
      previous.tokens = [...previous.tokens, ',', ...np.tokens];
    } else {
      phrases.push(np);
    }
  }
  return phrases;
}

// ---------------------------------------------------------------- noun phrase level

interface NounPhrase {
  tokens: string[];
  head: NounEntry | null;
  /** "one"/"ones" as the head: the noun is borrowed from a neighbour. */
  headOne: 'singular' | 'plural' | null;
  pronoun: { person: boolean; all: boolean } | null;
  determiner: 'the' | 'these' | 'any' | 'all' | 'both' | null;
  number: { n: number; word: string } | null;
  qualifiers: Qualifier[];
  /** Unknown words before the head, or in head position when there is no head. */
  unknownRun: string[];
  /** "it", "him": a pronoun pointing at something never named. */
  referring: string | null;
  /** Unknown words before a known head (adjectives it can't judge) and words in relations ("on the bench"). */
  ignored: string[];
}

/** The longest vocabulary noun starting at `i`, with its length in tokens. */
function nounAt(tokens: string[], i: number): { entry: NounEntry; length: number } | null {
  for (let len = Math.min(LONGEST_NOUN_WORDS, tokens.length - i); len >= 1; len--) {
    const entry = NOUN_LEXICON.get(tokens.slice(i, i + len).join(' '));
    if (entry) return { entry, length: len };
  }
  return null;
}

/** Index of the next token that is not an article or preposition, from `i`. */
function skipArticles(tokens: string[], i: number): number {
  while (i < tokens.length && (tokens[i] === 'the' || tokens[i] === 'to' || tokens[i] === 'of' || tokens[i] === 'a')) i++;
  return i;
}

function numberValue(token: string): number | null {
  if (/^\d+$/.test(token)) return Number(token);
  return NUMBER_WORDS.get(token) ?? null;
}

/** True when what follows `i` (past colour words) is a noun: decides "orange bird" (colour) vs "the orange" (fruit). */
function nominalFollows(tokens: string[], i: number): boolean {
  while (i < tokens.length && (isColourToken(tokens[i]) || tokens[i] === 'and')) i++;
  if (i >= tokens.length) return false;
  return tokens[i] === 'one' || tokens[i] === 'ones' || nounAt(tokens, i) !== null || PRONOUN_HEADS.has(tokens[i]);
}

function readNounPhrase(tokens: string[]): NounPhrase {
  const np: NounPhrase = {
    tokens,
    head: null,
    headOne: null,
    pronoun: null,
    determiner: null,
    number: null,
    qualifiers: [],
    unknownRun: [],
    ignored: [],
    referring: null,
  };
  let inRelation = false; // after a preposition: nouns there describe a relation, not the object
  let lastWasHead = false; // a noun right after the head makes a compound ("baby bird" is a bird)
  let pendingOrdinal: { rank: number; fromEnd: boolean; from: OrderFrom | null; word: string } | null = null;
  let colour: Extract<Qualifier, { kind: 'colour' }> | null = null;
  let lastWasUnknown = false;
  let lastWasColour = false;
  const hasHead = (): boolean => np.head !== null || np.headOne !== null || np.pronoun !== null;
  const pushQualifier = (q: Qualifier): void => {
    if (!np.qualifiers.some((o) => JSON.stringify(o) === JSON.stringify(q))) np.qualifiers.push(q);
  };

  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    const wasHead: boolean = lastWasHead;
    lastWasHead = false;
    const wasColour: boolean = lastWasColour;
    lastWasColour = false;
    const wasUnknown: boolean = lastWasUnknown;
    lastWasUnknown = false;

    // Colour words, except a colour-named object in head position ("remove the orange").
    // Adjacent colours, or colours joined by "and", are one qualifier: "black and white" = either.
    if (t === 'and' && wasColour) {
      lastWasColour = true;
      i++;
      continue;
    }
    if (COLOUR_MODIFIERS.has(t) && COLOUR_WORDS.has(tokens[i + 1] ?? '')) {
      lastWasColour = wasColour;
      i++;
      continue;
    }
    const colourBuckets = COLOUR_WORDS.get(t);
    if (colourBuckets && (hasHead() || inRelation || !NOUN_LEXICON.has(t) || nominalFollows(tokens, i + 1))) {
      if (colour && wasColour) {
        colour.anyOf = [...new Set([...colour.anyOf, ...colourBuckets])];
        colour.word += tokens[i - 1] === 'and' ? ` and ${t}` : ` ${t}`;
      } else {
        colour = { kind: 'colour', anyOf: [...colourBuckets], word: t };
        np.qualifiers.push(colour);
      }
      lastWasColour = true;
      i++;
      continue;
    }

    // Ordinals: "second", "2nd", "last", "second to last", "second biggest", then maybe "from the left".
    const rank = ORDINAL_WORDS.get(t);
    if (rank !== undefined && !(t === 'last' && pendingOrdinal)) {
      pendingOrdinal = { rank, fromEnd: FROM_END_ORDINALS.has(t), from: null, word: t };
      i++;
      if (tokens[i] === 'last' || (tokens[i] === 'to' && tokens[i + 1] === 'last')) {
        pendingOrdinal.fromEnd = true;
        pendingOrdinal.word += tokens[i] === 'to' ? ' to last' : ' last';
        i += tokens[i] === 'to' ? 2 : 1;
      } else if (t === 'last' && tokens[i] === 'but' && tokens[i + 1] === 'one') {
        pendingOrdinal.rank = 2;
        pendingOrdinal.word = 'last but one';
        i += 2;
      }
      const next = tokens[i];
      const superlative = next !== undefined ? (POSITION_WORDS.get(next) ?? SIZE_WORDS.get(next)) : undefined;
      if (superlative !== undefined && superlative !== 'middle') {
        pendingOrdinal.from = superlative;
        pendingOrdinal.word += ` ${next}`;
        i++;
      }
      continue;
    }
    if (t === 'from' && pendingOrdinal && pendingOrdinal.from === null) {
      const j = skipArticles(tokens, i + 1);
      const reference = tokens[j] !== undefined ? (POSITION_WORDS.get(tokens[j]) ?? SIZE_WORDS.get(tokens[j])) : undefined;
      if (reference !== undefined && reference !== 'middle') {
        pendingOrdinal.from = reference;
        pendingOrdinal.word += ` from the ${tokens[j]}`;
        i = j + 1;
        continue;
      }
    }

    // Position and size words ("far left" and "closest to the edge" intensify the position).
    if (INTENSIFIERS_BEFORE_POSITION.has(t)) {
      const j = skipArticles(tokens, i + 1);
      if (tokens[j] !== undefined && POSITION_WORDS.has(tokens[j])) {
        i++;
        continue;
      }
    }
    const where = POSITION_WORDS.get(t);
    if (where !== undefined) {
      pushQualifier({ kind: 'position', where, word: t });
      i++;
      continue;
    }
    const which = SIZE_WORDS.get(t);
    if (which !== undefined) {
      pushQualifier({ kind: 'size', which, word: t });
      i++;
      // "closest to the camera", "furthest from us": what follows is the reference, not the object.
      if (tokens[i] === 'to' || tokens[i] === 'from' || tokens[i] === 'of') inRelation = true;
      continue;
    }

    // Determiners and counts, before the head only.
    if (!hasHead() && !inRelation) {
      const n = numberValue(t);
      if (n !== null && !(t === 'one' && !nominalFollows(tokens, i + 1) && tokens[i + 1] !== 'of')) {
        // "2 of the 3 birds": the first number is the count, the second only the total.
        np.number ??= { n, word: t === 'pair' || t === 'couple' ? `a ${t} of` : t };
        i++;
        if (tokens[i] === 'of') i = skipArticles(tokens, i);
        continue;
      }
      if (t === 'both') {
        np.determiner = 'both';
        i = tokens[i + 1] === 'of' ? skipArticles(tokens, i + 1) : i + 1;
        continue;
      }
      if (UNIVERSAL_DETERMINERS.has(t)) {
        np.determiner = 'all';
        i = tokens[i + 1] === 'of' ? skipArticles(tokens, i + 1) : i + 1;
        continue;
      }
      if (DEFINITE_DETERMINERS.has(t)) {
        if (np.determiner === null) np.determiner = t === 'these' || t === 'those' ? 'these' : 'the';
        i++;
        continue;
      }
      if (INDEFINITE_DETERMINERS.has(t)) {
        if (np.determiner === null) np.determiner = 'any';
        i++;
        continue;
      }
    }

    const pronoun = PRONOUN_HEADS.get(t);
    if (pronoun !== undefined && !hasHead()) {
      np.pronoun = pronoun;
      i++;
      continue;
    }
    if (REFERRING_PRONOUNS.has(t) && !hasHead() && !inRelation) {
      np.referring = t;
      i++;
      continue;
    }
    if ((t === 'one' || t === 'ones') && !hasHead() && !inRelation) {
      np.headOne = t === 'one' ? 'singular' : 'plural';
      i++;
      continue;
    }

    if (inRelation && (PHRASE_ONLY_NOUNS.has(t) || FRAME_PART_WORDS.has(t))) {
      i++;
      continue;
    }
    const noun = nounAt(tokens, i);
    if (noun) {
      if (inRelation) {
        np.ignored.push(tokens.slice(i, i + noun.length).join(' '));
      } else if (!hasHead() || (wasHead && np.head !== null)) {
        // A noun right after the head is the real head of a compound ("baby bird").
        np.head = noun.entry;
        np.ignored.push(...np.unknownRun);
        np.unknownRun = [];
        lastWasHead = true;
      } else {
        np.ignored.push(tokens.slice(i, i + noun.length).join(' '));
      }
      i += noun.length;
      continue;
    }

    if (t === POSSESSIVE) {
      // "the dog's shadow": the dog only says whose; what to remove is what follows.
      if (np.head) np.ignored.push(`${np.head.singular}'s`);
      np.head = null;
      np.headOne = null;
      np.pronoun = null;
      i++;
      continue;
    }
    // "the reflection of the man": after an unknown word, "of" starts a relation, so "man"
    // doesn't become the object to remove.
    if (PREPOSITIONS.has(t) || (t === 'of' && !hasHead() && np.unknownRun.length > 0)) {
      inRelation = true;
      i++;
      continue;
    }
    if (FUNCTION_WORDS.has(t) || FRAME_PART_WORDS.has(t) || t === ',') {
      i++;
      continue;
    }
    if (hasHead() || inRelation) {
      np.ignored.push(t);
    } else {
      // Either an adjective we can't judge ("fluffy bird") or an object we don't know ("dinosaur").
      // Which one shows when the phrase ends: a known noun after it makes it an adjective. Only
      // the last run of unknown words can be the noun; earlier ones are adjectives.
      if (!wasUnknown && np.unknownRun.length > 0) np.ignored.push(...np.unknownRun.splice(0));
      np.unknownRun.push(t);
      lastWasUnknown = true;
    }
    i++;
  }

  if (pendingOrdinal) {
    const from = pendingOrdinal.from ?? 'left';
    pushQualifier({
      kind: 'ordinal',
      rank: pendingOrdinal.rank,
      from: pendingOrdinal.fromEnd ? opposite(from) : from,
      word: pendingOrdinal.from === null && !pendingOrdinal.fromEnd ? `${ordinalWord(pendingOrdinal.rank)}` : pendingOrdinal.word,
    });
  }
  return np;
}

function opposite(from: OrderFrom): OrderFrom {
  const pairs: Record<OrderFrom, OrderFrom> = { left: 'right', right: 'left', top: 'bottom', bottom: 'top', largest: 'smallest', smallest: 'largest' };
  return pairs[from];
}

// ---------------------------------------------------------------- targets

const OBJECT_NOUN = { singular: 'object', plural: 'objects' } as const;

function everythingTarget(): Target {
  return { classes: null, noun: { ...OBJECT_NOUN }, nounImplied: false, count: { kind: 'all' }, qualifiers: [], text: 'everything' };
}

/**
 * True when the phrase names nothing: no noun, no qualifier, no count. An article alone ("remove
 * this", "remove the") points at nothing, whereas "both" and "all" are counts of something.
 */
function isEmpty(np: NounPhrase): boolean {
  const counts = np.number !== null || np.determiner === 'both' || np.determiner === 'all';
  return np.head === null && np.headOne === null && np.pronoun === null && np.qualifiers.length === 0 && !counts;
}

/**
 * Turns noun phrases into targets: checks each names something, borrows nouns left out, and
 * works out the count. `context` (the main targets, for exceptions) lends its noun to "one".
 */
function toTargets(phrases: NounPhrase[], context: Target[] | null, text: string, hasCue: boolean, ignored: string[]): Target[] {
  for (const np of phrases) {
    if (np.referring !== null && nounOf(np) === null && np.headOne === null) {
      throw unparseableExpression(text, `"${np.referring}" doesn't say which object: name it ("the dog", "the man on the left")`);
    }
    if (np.unknownRun.length > 0 && np.head === null && np.pronoun === null) {
      // An unknown word where the noun should be. With nothing around it that reads as a
      // command (no verb, determiner or qualifier) the text is simply not a description.
      const cue = hasCue || np.determiner !== null || np.number !== null || np.qualifiers.length > 0 || np.headOne !== null;
      if (!cue) throw unparseableExpression(text, `"${np.unknownRun.join(' ')}" names no object the Lite engine knows`);
      if (np.headOne === null) throw unknownObject(np.unknownRun.join(' '));
    }
    np.ignored.push(...np.unknownRun.splice(0));
    if (isEmpty(np)) throw unparseableExpression(text, `"${np.tokens.join(' ')}" names no object`);
  }
  return phrases.map((np, index) => {
    ignored.push(...np.ignored);
    const own = nounOf(np);
    const borrowed = own ?? borrowNoun(phrases, index, context);
    return {
      classes: borrowed.classes,
      noun: borrowed.noun,
      nounImplied: own === null,
      count: countOf(np),
      qualifiers: np.qualifiers,
      text: np.tokens.join(' '),
    };
  });
}

interface NounRef {
  classes: readonly CocoClass[] | null;
  noun: { singular: string; plural: string };
}

function nounOf(np: NounPhrase): NounRef | null {
  if (np.head) return { classes: np.head.classes, noun: { singular: np.head.singular, plural: np.head.plural } };
  if (np.pronoun) return np.pronoun.person ? { classes: ['person'], noun: { singular: 'person', plural: 'people' } } : { classes: null, noun: { ...OBJECT_NOUN } };
  return null;
}

/** "the left and the right bird": borrow from the nearest phrase with a noun, the previous one first. */
function borrowNoun(phrases: NounPhrase[], index: number, context: Target[] | null): NounRef {
  for (let k = index - 1; k >= 0; k--) {
    const ref = nounOf(phrases[k]);
    if (ref) return ref;
  }
  for (let k = index + 1; k < phrases.length; k++) {
    const ref = nounOf(phrases[k]);
    if (ref) return ref;
  }
  if (context && context.length > 0) {
    const anyClass = context.some((t) => t.classes === null);
    const classes = anyClass ? null : [...new Set(context.flatMap((t) => t.classes ?? []))];
    return { classes, noun: context[0].noun };
  }
  return { classes: null, noun: { ...OBJECT_NOUN } };
}

function isPlural(np: NounPhrase): boolean {
  if (np.head) return np.head.number === 'plural';
  if (np.headOne) return np.headOne === 'plural';
  return np.determiner === 'these';
}

function countOf(np: NounPhrase): Count {
  if (np.pronoun) return np.pronoun.all ? { kind: 'all' } : { kind: 'any' };
  if (np.number) {
    if (np.number.n === 1) return np.determiner === 'the' ? { kind: 'the' } : { kind: 'any' };
    return { kind: 'exactly', n: np.number.n, word: np.number.word };
  }
  if (np.determiner === 'both') return { kind: 'exactly', n: 2, word: 'both' };
  if (np.determiner === 'all') return { kind: 'all' };
  if (isPlural(np)) return { kind: 'all' };
  if (np.determiner === 'any') return { kind: 'any' };
  // "all the birds except one": a bare "one" is any one of them.
  if (np.headOne === 'singular' && np.determiner === null) return { kind: 'any' };
  return { kind: 'the' };
}

/**
 * What a referring expression says, once parsed: which objects (targets), how many, picked by
 * which qualifiers, minus which exceptions, and whether the user named what to remove or what to
 * keep. Selection (selectTracks.ts) judges this against the clip's tracks; explanations quote the
 * user's own words from it ("budgie", "on the far left").
 */
import type { ColourName } from './colourName';
import type { CocoClass } from './vocabulary';

/** How many objects a target asks for. */
export type Count =
  /** "the bird", "the left one": exactly one, identified by qualifiers or by being the only one. */
  | { kind: 'the' }
  /** "a bird", "one bird": any one of them. */
  | { kind: 'any' }
  /** "both birds", "two birds", "the 3 people": exactly n. `word` is the user's ("both", "two", "3"). */
  | { kind: 'exactly'; n: number; word: string }
  /** "the birds", "all birds", "everyone": every one that fits. */
  | { kind: 'all' };

export type Side = 'left' | 'right' | 'top' | 'bottom';

/** A direction things are ordered in for ordinals: by position, or by size ("front" = largest). */
export type OrderFrom = Side | 'largest' | 'smallest';

export type Qualifier =
  /** "left", "on the far right", "in the middle", "topmost". Judged on the mean centre over the track. */
  | { kind: 'position'; where: Side | 'middle'; word: string }
  /** "biggest", "in front" (= larger), "in the back" (= smaller). Judged on mean box area over the track. */
  | { kind: 'size'; which: 'largest' | 'smallest'; word: string }
  /** "second from the left", "the third bird", "last". rank is 1-based, counted from `from`. */
  | { kind: 'ordinal'; rank: number; from: OrderFrom; word: string }
  /** "red", "in blue", "dark-green": the object's colour is any of `anyOf`. */
  | { kind: 'colour'; anyOf: readonly ColourName[]; word: string };

export interface Target {
  /** The classes the noun names; null = any object ("everything", "the left one"). */
  classes: readonly CocoClass[] | null;
  /** The user's noun, singular and plural ("budgie"/"budgies"; "object"/"objects" when none was said). */
  noun: { singular: string; plural: string };
  /** True when the noun was borrowed from context ("the red one" after "all birds but"). */
  nounImplied: boolean;
  count: Count;
  qualifiers: Qualifier[];
  /** The phrase as the user wrote it (normalised spacing), for messages. */
  text: string;
}

export interface ParsedExpression {
  /** 'remove': remove the targets. 'keepOnly': keep the targets, remove everything else found. */
  action: 'remove' | 'keepOnly';
  /** Union of what is asked for. */
  targets: Target[];
  /** Taken out of the targets' selection ("everyone except the man on the left"). */
  exceptions: Target[];
  /** Words the grammar understood but cannot judge ("sitting", "flying"), reported back. */
  ignored: string[];
  /** The input text. */
  text: string;
}

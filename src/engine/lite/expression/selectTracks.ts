/**
 * Which of the clip's tracks a parsed expression asks to remove, and why, in a sentence the user
 * reads ("matched 1 of 2 budgies: the left one"). Each target is judged in order: class (the
 * noun), colour, ordinal, position/size, count. Whenever the answer is not clear-cut — nothing of
 * that kind, a count that disagrees ("both birds" with 3 found), two candidates level — nothing is
 * selected (matched=false) and the explanation says what was found and how to say it more
 * precisely: the caller then leaves the clip unchanged. Guessing would remove the wrong object.
 */
import type { Track } from '../types';
import type { ParsedExpression, Qualifier, Target } from './ast';
import { colourName, type ColourName, type Rgb } from './colourName';
import { describeCount, describeQualifiers, foundSummary, groupNoun } from './describe';
import { countNoun, listAnd, listOr, numberWord, ordinalWord, pluralOf } from './inflection';
import { directionOf, fitsFrame, frameSideOf, pickBest, pickOrdinal, pickSide, type SpatialQualifier } from './spatialJudge';
import { placeTrack, type TrackPlacement } from './trackPlacement';
import { classOfLabel, type CocoClass } from './vocabulary';

export interface SelectionContext {
  frameWidth: number;
  frameHeight: number;
  /**
   * The colour of a track's object: a colour name, or an RGB colour to be named (e.g. from
   * dominantColour over its pixels); null when unknown. Called only when a colour is asked for.
   */
  colourOf(track: Track): ColourName | Rgb | null;
}

export interface Selection {
  /** The tracks to remove. Empty when matched is false. */
  selected: Track[];
  /** One or two sentences saying what was matched, or why nothing was. */
  explanation: string;
  matched: boolean;
}

/** Where a target is looked for, for messages: "in this clip" with what was found there. */
interface Where {
  where: string;
  found?: string;
}

type TargetOutcome = { ok: true; picked: TrackPlacement[]; detail: string } | { ok: false; reason: string };

export function selectTracks(parsed: ParsedExpression, tracks: readonly Track[], ctx: SelectionContext): Selection {
  const placements: TrackPlacement[] = [];
  for (const track of tracks) {
    const p = placeTrack(track, ctx.frameWidth, ctx.frameHeight);
    if (p) placements.push(p);
  }
  const colours = new Map<Track, ColourName | null>();
  const colourOfPlacement = (p: TrackPlacement): ColourName | null => {
    if (!colours.has(p.track)) {
      const c = ctx.colourOf(p.track);
      colours.set(p.track, c === null ? null : typeof c === 'string' ? c : colourName(c));
    }
    return colours.get(p.track) ?? null;
  };
  const judge = (target: Target, pool: readonly TrackPlacement[], where: Where, role: 'target' | 'exception'): TargetOutcome =>
    judgeTarget(target, pool, where, colourOfPlacement, role);
  const fail = (reason: string): Selection => ({ selected: [], explanation: withIgnored(reason, parsed), matched: false });

  // The targets, united.
  const chosen = new Set<TrackPlacement>();
  const details: string[] = [];
  for (const target of parsed.targets) {
    const outcome = judge(target, placements, { where: 'in this clip', found: foundSummary(placements) }, 'target');
    if (!outcome.ok) return fail(outcome.reason);
    outcome.picked.forEach((p) => chosen.add(p));
    details.push(outcome.detail);
  }

  // Exceptions, judged among what the targets chose ("the man on the left" among everyone).
  const excepted = new Set<TrackPlacement>();
  const applied: Target[] = [];
  let arbitraryKeep = false;
  const chosenList = placements.filter((p) => chosen.has(p));
  const targetClasses = unionClasses(parsed.targets);
  for (const exception of parsed.exceptions) {
    const pool = chosenList.filter((p) => matchesClasses(p, exception.classes));
    // "the dog, not the cat": an exception of a kind no target asked for changes nothing.
    if (pool.length === 0 && !overlaps(exception.classes, targetClasses)) continue;
    const outcome = judge(exception, chosenList, { where: `among the ${countNoun(chosenList.length, 'object')} asked for` }, 'exception');
    if (!outcome.ok) return fail(`the exception doesn't match, so nothing is removed: ${outcome.reason}`);
    outcome.picked.forEach((p) => excepted.add(p));
    applied.push(exception);
    // "all birds but one" keeps one chosen here, not by the user: say which rule chose it.
    const count = exception.count;
    const plainCount = count.kind === 'any' || (count.kind === 'exactly' && count.word !== 'both');
    if (plainCount && exception.qualifiers.length === 0 && outcome.picked.length < pool.length) arbitraryKeep = true;
  }
  const selected = chosenList.filter((p) => !excepted.has(p));

  if (parsed.action === 'keepOnly') {
    const kept = new Set(selected);
    const removed = placements.filter((p) => !kept.has(p));
    const keptText = `keeping ${parsed.targets.map((t) => t.text).join(' and ')} (${details.join('; ')})`;
    if (removed.length === 0) return fail(`nothing else to remove: ${keptText}, and the detector found nothing else`);
    return {
      selected: removed.map((p) => p.track),
      explanation: withIgnored(`${keptText}; removing the ${countNoun(removed.length, 'other object')}: ${foundSummary(removed)}`, parsed),
      matched: true,
    };
  }

  if (applied.length > 0) {
    const pool = placements.filter((p) => matchesClasses(p, targetClasses));
    const exceptText = applied.map((e) => e.text).join(' and ');
    if (selected.length === 0) return fail(`nothing left to remove: everything asked for is excepted (${exceptText})`);
    const nounPlural = parsed.targets.length === 1 ? parsed.targets[0].noun.plural : 'objects';
    const nounSingular = parsed.targets.length === 1 ? parsed.targets[0].noun.singular : 'object';
    return {
      selected: selected.map((p) => p.track),
      explanation: withIgnored(
        `matched ${selected.length} of ${countNoun(pool.length, nounSingular, nounPlural)}: ${parsed.targets.map((t) => t.text).join(' and ')} except ${exceptText}` +
          (arbitraryKeep ? ' (kept the most clearly seen)' : ''),
        parsed,
      ),
      matched: true,
    };
  }

  return { selected: selected.map((p) => p.track), explanation: withIgnored(details.join('; '), parsed), matched: true };
}

// ---------------------------------------------------------------- one target

function judgeTarget(
  target: Target,
  pool: readonly TrackPlacement[],
  context: Where,
  colourOf: (p: TrackPlacement) => ColourName | null,
  role: 'target' | 'exception',
): TargetOutcome {
  const { singular, plural } = target.noun;
  const where = context.found !== undefined ? `${context.where} (found: ${context.found})` : context.where;
  const ofKind = pool.filter((p) => matchesClasses(p, target.classes));
  if (ofKind.length === 0) {
    // "pelican" is a bird to the detector: say so, or the user can't see why it wasn't found.
    const lookedFor = target.classes && !target.classes.includes(singular as CocoClass) ? `looked for: ${listOr(target.classes.map((c) => pluralOf(c)))}; ` : '';
    const details = lookedFor || context.found !== undefined ? ` (${lookedFor}${context.found !== undefined ? `found: ${context.found}` : ''})`.replace('; )', ')') : '';
    return { ok: false, reason: `no ${singular} found ${context.where}${details}` };
  }
  const total = ofKind.length;
  const ofTotal = `${total} ${total === 1 ? singular : plural}`;

  // Colour: every colour qualifier must hold.
  let candidates = ofKind;
  for (const q of target.qualifiers) {
    if (q.kind !== 'colour') continue;
    const before = candidates;
    candidates = candidates.filter((p) => {
      const c = colourOf(p);
      return c !== null && q.anyOf.includes(c);
    });
    if (candidates.length === 0) {
      const seen = before.map((p) => colourOf(p) ?? 'of unknown colour');
      const found = groupNoun(before);
      const same = new Set(seen).size === 1;
      const look =
        before.length === 1
          ? `the only ${found.singular} looks ${seen[0]}`
          : same
            ? `${before.length === 2 ? 'both' : `all ${before.length}`} ${found.plural} look ${seen[0]}`
            : `the ${before.length} ${found.plural} look ${listAnd(seen)}`;
      return { ok: false, reason: `no ${q.word} ${singular} found ${where}: ${look}` };
    }
  }

  const spatial = target.qualifiers.filter((q): q is SpatialQualifier => q.kind === 'position' || q.kind === 'size');
  const ordinal = target.qualifiers.find((q): q is Extract<Qualifier, { kind: 'ordinal' }> => q.kind === 'ordinal');
  const count = target.count;
  const wanted = count.kind === 'exactly' ? count.n : count.kind === 'all' ? null : 1;
  const plainDesc = describeQualifiers(target.qualifiers, count.kind !== 'the' && count.kind !== 'any' && wanted !== 1, wanted ?? undefined);
  const success = (picked: TrackPlacement[]): TargetOutcome => ({
    ok: true,
    picked,
    detail: plainDesc
      ? `matched ${picked.length} of ${ofTotal}: ${plainDesc}`
      : `${describeCount(count, target)}: matched ${picked.length} of ${total}${count.kind === 'any' && total > 1 ? ' (the most clearly seen)' : ''}`,
  });
  const levelReason = (what: string): string =>
    `can't tell which ${singular} is ${what}: ${candidates.length === 2 ? 'the two' : 'some of the'} ${plural} found are level (found ${ofTotal})`;

  if (ordinal) {
    let pool2 = candidates;
    for (const q of spatial) {
      if (pool2.length < 2) break;
      const side = pickSide(pool2, q);
      if (!side.ok) return { ok: false, reason: levelReason(describeQualifiers([q], false) ?? q.word) };
      pool2 = side.picked;
    }
    const n = wanted ?? 1;
    const result = pickOrdinal(pool2, ordinal.rank, ordinal.from, n);
    const asked = describeQualifiers([ordinal], n > 1, n) ?? ordinal.word;
    if (!result.ok) {
      if (result.why === 'too-few') {
        // "the second red one from the left" → "the second red person from the left".
        const askedFull = (describeQualifiers(target.qualifiers, n > 1, n) ?? asked).replace(/\bones?\b/, n > 1 ? plural : singular);
        return { ok: false, reason: `asked for ${askedFull} but found only ${describeFound(target, pool2)}` };
      }
      return { ok: false, reason: levelReason(asked) };
    }
    return success(result.picked);
  }

  if (spatial.length > 0) {
    if (candidates.length === 1) {
      const lone = candidates[0];
      if (wanted !== null && wanted > 1) return { ok: false, reason: countDisagrees(target, 1, ofTotal) };
      const misfit = spatial.find((q) => !fitsFrame(lone, q));
      if (misfit) {
        const only = candidates.length === total ? `the only ${singular} found` : `the only ${target.qualifiers.find((q) => q.kind === 'colour')?.word ?? ''} ${singular} found`.replace('  ', ' ');
        return { ok: false, reason: `no ${singular} ${directionPhrase(misfit)}: ${only} is ${frameSideOf(lone, misfit)} of the frame` };
      }
      return success([lone]);
    }
    if (wanted === null) {
      let picked = candidates;
      for (const q of spatial) {
        if (picked.length < 2) {
          const misfit = picked.length === 1 && !fitsFrame(picked[0], q);
          if (misfit) return { ok: false, reason: `no ${plural} ${directionPhrase(q)} (found ${ofTotal})` };
          continue;
        }
        const side = pickSide(picked, q);
        if (!side.ok) return { ok: false, reason: `can't tell which ${plural} are ${directionPhrase(q)}: the ${plural} found are level (found ${ofTotal})` };
        picked = side.picked;
      }
      return success(picked);
    }
    const result = pickBest(candidates, spatial, wanted);
    if (!result.ok) {
      if (result.why === 'too-few') return { ok: false, reason: countDisagrees(target, candidates.length, ofTotal) };
      return { ok: false, reason: levelReason(describeQualifiers(spatial, false) ?? 'meant') };
    }
    return success(result.picked);
  }

  // No spatial qualifier: the count alone must pick.
  switch (count.kind) {
    case 'all':
      return success(candidates);
    case 'any':
      return success(mostClearlySeen(candidates, 1));
    case 'the':
      if (candidates.length === 1) return success(candidates);
      return { ok: false, reason: `found ${describeFound(target, candidates)}; say which ${singular}: ${suggestions(target, candidates)}` };
    case 'exactly':
      if (candidates.length === count.n) return success(candidates);
      // "all birds but two": in an exception a plain number means any that many, so keep the
      // most clearly seen. As a target ("remove two birds" with 3 found) it is refused: which
      // objects to remove must never be left to chance.
      if (role === 'exception' && count.word !== 'both' && candidates.length > count.n) {
        return success(mostClearlySeen(candidates, count.n));
      }
      return { ok: false, reason: countDisagrees(target, candidates.length, ofTotal) };
  }
}

/** "asked for both budgies but found 3: …" — refused, with what to say instead. */
function countDisagrees(target: Target, found: number, ofTotal: string): string {
  const asked = describeCount(target.count, target);
  const n = target.count.kind === 'exactly' ? target.count.n : 1;
  if (found < n) return `asked for ${asked} but found only ${found} (found ${ofTotal})`;
  const { plural } = target.noun;
  return `asked for ${asked} but found ${found}: say which, e.g. "the ${numberWord(n)} ${plural} on the left", or "all ${plural}"`;
}

/** "3 people", "2 red birds": the candidates as the detector names them, with the colour asked for. */
function describeFound(target: Target, candidates: readonly TrackPlacement[]): string {
  const colour = target.qualifiers.find((q) => q.kind === 'colour');
  const prefix = colour ? `${colour.word} ` : '';
  const noun = groupNoun(candidates);
  return countNoun(candidates.length, prefix + noun.singular, prefix + noun.plural);
}

/** Phrasings that would pick one of `candidates`, along the axis they spread on. */
function suggestions(target: Target, candidates: readonly TrackPlacement[]): string {
  const { singular, plural } = target.noun;
  const xs = candidates.map((p) => p.cx);
  const ys = candidates.map((p) => p.cy);
  const horizontal = Math.max(...xs) - Math.min(...xs) >= Math.max(...ys) - Math.min(...ys);
  const [a, b] = horizontal ? ['left', 'right'] : ['top', 'bottom'];
  const all = candidates.length === 2 ? `both ${plural}` : `all ${plural}`;
  const middle = candidates.length === 3 ? `, "the ${singular} in the middle"` : '';
  const second = candidates.length > 3 ? `, "the ${ordinalWord(2)} ${singular} from the ${a}"` : '';
  return `"the ${singular} on the ${a}", "the ${singular} on the ${b}"${middle}${second} or "${all}"`;
}

function directionPhrase(q: SpatialQualifier): string {
  const d = directionOf(q);
  if (d === 'middle') return 'in the middle';
  if (d === 'largest' || d === 'smallest') return `that is ${q.word}`;
  return `on the ${d}`;
}

/** For "a bird": the n seen longest and most surely. */
function mostClearlySeen(candidates: readonly TrackPlacement[], n: number): TrackPlacement[] {
  const clarity = (p: TrackPlacement): number => p.visibility * p.track.score;
  return [...candidates].sort((a, b) => clarity(b) - clarity(a)).slice(0, n);
}

function matchesClasses(p: TrackPlacement, classes: readonly CocoClass[] | null): boolean {
  if (classes === null) return true;
  const cls = classOfLabel(p.track.label);
  return cls !== null && classes.includes(cls);
}

function unionClasses(targets: readonly Target[]): readonly CocoClass[] | null {
  if (targets.some((t) => t.classes === null)) return null;
  return [...new Set(targets.flatMap((t) => t.classes ?? []))];
}

function overlaps(a: readonly CocoClass[] | null, b: readonly CocoClass[] | null): boolean {
  if (a === null || b === null) return true;
  return a.some((c) => b.includes(c));
}

function withIgnored(text: string, parsed: ParsedExpression): string {
  if (parsed.ignored.length === 0) return text;
  return `${text} (ignored ${listAnd(parsed.ignored.map((w) => `"${w}"`))}: the Lite engine can't judge that)`;
}



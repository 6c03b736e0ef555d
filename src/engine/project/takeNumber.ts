import type { Take } from './schema';

/**
 * The number of a clip's next generated take ("Take N"), which its render's file name and its
 * label both carry, so that the file an editor finds in Finder is the take the app shows. Numbers
 * are never reused while a take or a render in flight holds them: renders finish in any order
 * (and a failed one is retried later), so counting the takes at either end would give two renders
 * one number. `reserved` are the numbers of renders of this clip still queued or running.
 */
export function nextTakeNumber(takes: readonly Pick<Take, 'kind' | 'label'>[], reserved: readonly number[] = []): number {
  const taken = takeNumbersIn(takes);
  const generated = takes.filter((t) => t.kind !== 'original').length;
  return Math.max(generated, ...taken, ...reserved) + 1;
}

/** True when `n` is already a take's number on the clip (a label "Take n"). */
export function takeNumberTaken(takes: readonly Pick<Take, 'kind' | 'label'>[], n: number): boolean {
  return takeNumbersIn(takes).includes(n);
}

/** The numbers in labels of the form "Take N" (labels an editor renamed say nothing). */
function takeNumbersIn(takes: readonly Pick<Take, 'kind' | 'label'>[]): number[] {
  return takes.flatMap((t) => {
    const m = t.kind === 'original' ? null : /^Take (\d+)$/.exec(t.label);
    return m ? [Number(m[1])] : [];
  });
}

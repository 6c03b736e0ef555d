/**
 * Exact rational numbers for frame rates and times. Video time must not drift: 29.97 fps is
 * 30000/1001, and a frame's time is n * 1001/30000 s exactly, which floats cannot hold.
 */
export interface Rational {
  readonly num: number;
  readonly den: number;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

export function rational(num: number, den = 1): Rational {
  if (!Number.isInteger(num) || !Number.isInteger(den)) {
    throw new RangeError(`rational needs integers, got ${num}/${den}`);
  }
  if (den === 0) throw new RangeError('rational with zero denominator');
  const sign = den < 0 ? -1 : 1;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** Parses "30000/1001", "25", "29.97" (decimal → exact fraction of its digits) or "30000:1001". */
export function parseRational(text: string): Rational {
  const t = text.trim();
  const m = /^(-?\d+)\s*[/:]\s*(-?\d+)$/.exec(t);
  if (m) return rational(Number(m[1]), Number(m[2]));
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    const [, frac = ''] = t.split('.');
    const den = 10 ** frac.length;
    return rational(Math.round(Number(t) * den), den);
  }
  throw new RangeError(`not a rational number: "${text}"`);
}

export const toNumber = (r: Rational): number => r.num / r.den;
export const toString = (r: Rational): string => (r.den === 1 ? `${r.num}` : `${r.num}/${r.den}`);
export const add = (a: Rational, b: Rational): Rational => rational(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational): Rational => rational(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);
export const div = (a: Rational, b: Rational): Rational => rational(a.num * b.den, a.den * b.num);
export const inverse = (r: Rational): Rational => rational(r.den, r.num);
export const equals = (a: Rational, b: Rational): boolean => a.num * b.den === b.num * a.den;
export const compare = (a: Rational, b: Rational): number => Math.sign(a.num * b.den - b.num * a.den);
export const isZero = (r: Rational): boolean => r.num === 0;

/** Time in seconds of frame index `frame` at `fps`. */
export const frameToTime = (frame: number, fps: Rational): Rational => rational(frame * fps.den, fps.num);

/** Frame index whose span contains time `t` at `fps` (floor, with a tolerance for float input). */
export function timeToFrame(t: Rational | number, fps: Rational): number {
  if (typeof t === 'number') return Math.floor(t * toNumber(fps) + 1e-6);
  return Math.floor((t.num * fps.num) / (t.den * fps.den));
}

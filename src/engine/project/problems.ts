import type { z } from 'zod';

/**
 * A problem found in a project document: where (a JSON path into the file) and what, phrased
 * for someone who will open the file in a text editor to fix it, e.g.
 * `sequences[0].tracks[1].clips[3].sourceOut: expected number ≥ 1, got 0`.
 */
export interface Problem {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['sequences', 0, 'name']` → `sequences[0].name`; the root is `(document)`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const k = String(key);
      out += IDENTIFIER.test(k) ? (out ? `.${k}` : k) : `[${JSON.stringify(k)}]`;
    }
  }
  return out || '(document)';
}

export function formatProblem(p: Problem): string {
  return `${formatPath(p.path)}: ${p.message}`;
}

/** Lists problems one per line, at most `limit` of them, saying how many more there are. */
export function formatProblems(problems: readonly Problem[], limit = 12): string {
  const shown = problems.slice(0, limit).map((p) => `  - ${formatProblem(p)}`);
  if (problems.length > limit) shown.push(`  (and ${problems.length - limit} more)`);
  return shown.join('\n');
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A short rendering of what was actually in the file. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? `an array of ${v.length}` : 'an empty array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 48 ? `${v.slice(0, 45)}...` : v);
  return String(v);
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  null: 'null',
};

function list(values: readonly unknown[]): string {
  const shown = values.map((v) => JSON.stringify(v));
  return shown.length <= 1 ? (shown[0] ?? 'nothing') : `${shown.slice(0, -1).join(', ')} or ${shown[shown.length - 1]}`;
}

function bound(issue: { origin: string; inclusive?: boolean }, value: number | bigint, small: boolean): string {
  const n = Number(value);
  switch (issue.origin) {
    case 'array':
      return small ? `expected at least ${n} item${n === 1 ? '' : 's'}` : `expected at most ${n} item${n === 1 ? '' : 's'}`;
    case 'string':
      if (small && n === 1) return 'must not be empty';
      return small ? `expected at least ${n} characters` : `expected at most ${n} characters`;
    default: {
      const op = small ? (issue.inclusive === false ? '>' : '≥') : issue.inclusive === false ? '<' : '≤';
      return `expected number ${op} ${n}`;
    }
  }
}

/**
 * Rephrases zod's issues in the document's own terms. `root` is the parsed input, used to say
 * what was found instead; unknown keys become one problem each, at their own path.
 */
export function problemsFromZod(error: z.ZodError, root: unknown): Problem[] {
  const out: Problem[] = [];
  for (const issue of error.issues) {
    const got = () => describeValue(valueAt(root, issue.path));
    switch (issue.code) {
      case 'invalid_type': {
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
        const actual = valueAt(root, issue.path);
        out.push({
          path: issue.path,
          message: actual === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${got()}`,
        });
        break;
      }
      case 'too_small':
        out.push({ path: issue.path, message: `${bound(issue, issue.minimum, true)}, got ${got()}` });
        break;
      case 'too_big':
        out.push({ path: issue.path, message: `${bound(issue, issue.maximum, false)}, got ${got()}` });
        break;
      case 'invalid_value':
        out.push({ path: issue.path, message: `expected ${list(issue.values)}, got ${got()}` });
        break;
      case 'invalid_union': {
        // Our unions are discriminated: zod points at the discriminator and lists the options.
        const options = 'options' in issue ? issue.options : undefined;
        out.push({
          path: issue.path,
          message: options?.length ? `expected ${list(options)}, got ${got()}` : `does not match any allowed shape (got ${got()})`,
        });
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push({ path: [...issue.path, key], message: 'unknown key (not part of the project format)' });
        }
        break;
      case 'invalid_format':
        out.push({
          path: issue.path,
          message:
            issue.format === 'datetime'
              ? `expected an ISO 8601 date-time like 2025-01-31T14:05:00.000Z, got ${got()}`
              : `${issue.message}, got ${got()}`,
        });
        break;
      default:
        out.push({ path: issue.path, message: issue.message });
    }
  }
  return out;
}

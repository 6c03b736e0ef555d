/**
 * JSON for people as well as programs: objects and arrays that fit on one line stay on one
 * line (`"fps": { "num": 30000, "den": 1001 }`), larger ones are indented. Project files get
 * opened in text editors and diffed in version control, and every load error names a JSON
 * path, so the file should read well; fully expanded JSON spreads one rational over four lines.
 * Input must be plain JSON data (the project document is); `undefined` members are left out
 * as JSON.stringify does.
 */

const INDENT = '  ';

/** `value` as JSON, inlining any array or object whose one-line form fits in `width` columns. */
export function formatJson(value: unknown, width = 100): string {
  return `${render(value, '', 0, width)}\n`;
}

function entries(value: object): Array<[string, unknown]> {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

/** One-line form of `value`, or null as soon as it would exceed `budget` characters. */
function inline(value: unknown, budget: number): string | null {
  if (budget <= 0) return null;
  if (value === null || typeof value !== 'object') {
    const s = JSON.stringify(value ?? null);
    return s.length <= budget ? s : null;
  }
  const parts: string[] = [];
  let used = 4; // brackets and their inner spaces
  const isArray = Array.isArray(value);
  // Keys are looked at lazily: a 10,000-clip array gives up at its first item, not after listing all.
  const keys = isArray ? null : entries(value);
  const count = isArray ? value.length : keys!.length;
  for (let i = 0; i < count; i++) {
    const key = keys ? `${JSON.stringify(keys[i][0])}: ` : '';
    const s = inline(keys ? keys[i][1] : (value as unknown[])[i], budget - used - key.length);
    if (s === null) return null;
    parts.push(key + s);
    used += key.length + s.length + 2;
    if (used > budget) return null;
  }
  if (!parts.length) return isArray ? '[]' : '{}';
  return isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
}

/** `value` rendered at `indent`, after `prefix` characters already on its first line. */
function render(value: unknown, indent: string, prefix: number, width: number): string {
  const one = inline(value, width - indent.length - prefix);
  if (one !== null) return one;
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + render(v, inner, 0, width)).join(',\n')}\n${indent}]`;
  }
  const lines = entries(value).map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + render(v, inner, key.length, width);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

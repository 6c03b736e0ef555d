/**
 * Why `value` would not survive a save as written, or null if it would. Take params carry
 * engine-specific `extra` data of any shape; a function, a NaN or a Date in it would be dropped
 * or changed by JSON.stringify without a word, so the take would silently differ after reopening.
 */
export function jsonValueProblem(value: unknown, path = '', seen = new Set<object>()): string | null {
  const where = path || 'value';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${where} is ${value}, which JSON cannot store`;
    case 'object': {
      if (value === null) return null;
      if (seen.has(value)) return `${where} refers to itself`;
      seen.add(value);
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const p = jsonValueProblem(value[i], `${path}[${i}]`, seen);
          if (p) return p;
        }
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return `${where} is a ${proto?.constructor?.name ?? 'class instance'}, not plain data`;
        for (const [k, v] of Object.entries(value)) {
          if (v === undefined) return `${path ? `${path}.` : ''}${k} is undefined (leave the key out instead)`;
          const p = jsonValueProblem(v, path ? `${path}.${k}` : k, seen);
          if (p) return p;
        }
      }
      seen.delete(value);
      return null;
    }
    default:
      return `${where} is a ${typeof value}, which JSON cannot store`;
  }
}

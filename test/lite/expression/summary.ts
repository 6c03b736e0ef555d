/** A compact one-line rendering of a ParsedExpression, so parse tables read like the phrases they test. */
import type { Count, ParsedExpression, Qualifier, Target } from '../../../src/engine/lite/expression';

function count(c: Count): string {
  switch (c.kind) {
    case 'the':
      return 'the';
    case 'any':
      return 'a';
    case 'exactly':
      return String(c.n);
    case 'all':
      return 'all';
  }
}

function qualifier(q: Qualifier): string {
  switch (q.kind) {
    case 'position':
      return `@${q.where}`;
    case 'size':
      return `@${q.which}`;
    case 'ordinal':
      return `#${q.rank}/${q.from}`;
    case 'colour':
      return `=${q.anyOf.join('|')}`;
  }
}

function target(t: Target): string {
  const noun = `${t.noun.singular}${t.nounImplied ? '*' : ''}[${t.classes?.join(',') ?? 'any'}]`;
  return [count(t.count), noun, ...t.qualifiers.map(qualifier)].join(' ');
}

/** e.g. "remove: the budgie[bird] @left except the red*[bird]" */
export function summary(p: ParsedExpression): string {
  let s = `${p.action}: ${p.targets.map(target).join(' + ')}`;
  if (p.exceptions.length > 0) s += ` except ${p.exceptions.map(target).join(' + ')}`;
  if (p.ignored.length > 0) s += ` ignored(${p.ignored.join(',')})`;
  return s;
}

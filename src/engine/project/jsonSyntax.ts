/**
 * Locates the first JSON syntax error in a text, as line and column, with a message a person
 * can act on. V8's JSON.parse messages differ between versions and often omit the position
 * ("Unexpected token 'a', "abc" is not valid JSON"), so a project that will not parse is
 * re-scanned here, only on that failure path, by a small strict scanner of RFC 8259 JSON.
 */

export interface JsonSyntaxError {
  /** 0-based UTF-16 offset. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  /** The offending line, cut to about 80 characters around the error, and a caret under it. */
  excerpt: string;
}

class Fail {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const MAX_DEPTH = 5000;

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the file';
  if (ch === '\n' || ch === '\r') return 'a line break';
  return JSON.stringify(ch);
}

function scan(text: string): void {
  let i = 0;
  const ws = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const string = () => {
    const start = i;
    i++; // opening quote
    for (;;) {
      if (i >= text.length) throw new Fail(start, 'string is never closed (missing ")');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) throw new Fail(i, 'raw control character or line break inside a string (write it as an escape, e.g. \\n)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Fail(i, 'invalid \\u escape (needs 4 hex digits)');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Fail(i, `invalid escape \\${e ?? ''} in string`);
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-') throw new Fail(i, 'invalid number');
    i += m[0].length;
  };
  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) throw new Fail(i, 'nested too deeply');
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') {
          throw new Fail(i, text[i] === '}' ? 'trailing comma before }' : `expected a property name in double quotes, found ${describeChar(text[i])}`);
        }
        string();
        ws();
        if (text[i] !== ':') throw new Fail(i, `expected ':' after the property name, found ${describeChar(text[i])}`);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Fail(i, `expected ',' or '}' after a property value, found ${describeChar(text[i])}`);
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] === ']') throw new Fail(i, 'trailing comma before ]');
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Fail(i, `expected ',' or ']' after an array element, found ${describeChar(text[i])}`);
      }
    }
    if (ch === '"') return string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (ch === undefined) throw new Fail(i, 'unexpected end of the file (is it cut short?)');
    throw new Fail(i, `unexpected ${describeChar(ch)}`);
  };
  value(0);
  ws();
  if (i < text.length) throw new Fail(i, `unexpected ${describeChar(text[i])} after the end of the document`);
}

function excerptAt(text: string, offset: number, lineStart: number): string {
  let lineEnd = text.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
  const col = offset - lineStart;
  const from = Math.max(0, col - 40);
  const shown = line.slice(from, from + 80).replace(/\t/g, ' ');
  return `${from > 0 ? '...' : ''}${shown}\n${' '.repeat(col - from + (from > 0 ? 3 : 0))}^`;
}

/** The first syntax error in `text`, or null if it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  try {
    scan(text);
    return null;
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const offset = Math.min(e.offset, text.length);
    let line = 1;
    let lineStart = 0;
    for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
      line++;
      lineStart = k + 1;
    }
    return { offset, line, column: offset - lineStart + 1, message: e.message, excerpt: excerptAt(text, offset, lineStart) };
  }
}

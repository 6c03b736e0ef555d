import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError } from '../../src/engine/project/jsonSyntax';

describe('JSON syntax errors', () => {
  it('gives line, column and a plain reason', () => {
    expect(findJsonSyntaxError('{\n  "a": 1,\n  "b" 2\n}')).toMatchObject({ line: 3, column: 7, message: "expected ':' after the property name, found \"2\"" });
    expect(findJsonSyntaxError('[1, 2,]')).toMatchObject({ line: 1, column: 7, message: 'trailing comma before ]' });
    expect(findJsonSyntaxError('{"a": [1, 2}')).toMatchObject({ column: 12, message: "expected ',' or ']' after an array element, found \"}\"" });
    expect(findJsonSyntaxError('{"a": "b')).toMatchObject({ column: 7, message: 'string is never closed (missing ")' });
    expect(findJsonSyntaxError('{"a": tru}')).toMatchObject({ column: 7, message: 'unexpected "t"' });
    expect(findJsonSyntaxError('{"a": 01}')).toMatchObject({ column: 8, message: "expected ',' or '}' after a property value, found \"1\"" });
    expect(findJsonSyntaxError('{} x')).toMatchObject({ column: 4, message: 'unexpected "x" after the end of the document' });
    expect(findJsonSyntaxError('{"a": ')).toMatchObject({ message: 'unexpected end of the file (is it cut short?)' });
    expect(findJsonSyntaxError('{"a": "\\q"}')).toMatchObject({ column: 8, message: 'invalid escape \\q in string' });
    expect(findJsonSyntaxError('{"a": [1, {"b": null, "c": [true, false, -1.5e3, "\\u00e9"]}]}')).toBeNull();
  });

  it('agrees with JSON.parse on thousands of damaged documents', () => {
    const doc = JSON.stringify(
      { format: 'lacuna.project', list: [1, -2.5e-3, true, null, 'tab\tquote"é'], nested: { a: [{ b: {} }, []] } },
      null,
      2,
    );
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = '{}[]:,"\\ \n0-.eE+tfnrua1';
    for (let k = 0; k < 5000; k++) {
      let text = doc;
      for (let edits = 1 + rand(3); edits > 0; edits--) {
        const at = rand(text.length + 1);
        const op = rand(3);
        if (op === 0) text = text.slice(0, at) + text.slice(at + 1);
        else if (op === 1) text = text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at);
        else text = text.slice(0, at);
      }
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      const found = findJsonSyntaxError(text);
      expect(found === null, `disagreement on ${JSON.stringify(text)}`).toBe(parses);
    }
  });
});

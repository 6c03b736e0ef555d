import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { LacunaError } from '../util/errors';

/**
 * XML through fast-xml-parser (no native code, parses, validates well-formedness and builds with
 * escaping), configured once for the XML formats: attributes under `@_name`, text kept as strings
 * (a reel "0001" or a name "1e3" must not become a number), and the elements that repeat listed
 * per format so a single child still reads as a list.
 */

export type XmlNode = Record<string, unknown>;

export const ATTR = '@_';

export function buildXml(root: XmlNode, doctype?: string): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, format: true, indentBy: '  ', suppressEmptyNode: true });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${doctype ? `${doctype}\n` : ''}${builder.build(root) as string}`;
}

/** Parses `text`; `lists` are element names that always come back as arrays. */
export function parseXml(text: string, what: string, lists: readonly string[]): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new LacunaError('BAD_ARGUMENT', `not a readable ${what} file: line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  const set = new Set(lists);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: ATTR,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => set.has(name),
  });
  return parser.parse(text) as XmlNode;
}

/** Child element `name` of `node` as a node (text-only elements become `{ '#text': … }`). */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  if (Array.isArray(v)) return asNode(v[0]);
  return asNode(v);
}

function asNode(v: unknown): XmlNode | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return v as XmlNode;
  return { '#text': String(v) };
}

export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(asNode).filter((n): n is XmlNode => !!n);
}

/** Text of child `name` (or of `node` itself with no name). */
export function text(node: unknown, name?: string): string | undefined {
  const n = name === undefined ? asNode(node) : child(node, name);
  if (!n) return undefined;
  const t = n['#text'];
  return t === undefined ? (Object.keys(n).length === 0 ? '' : undefined) : String(t);
}

export function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[ATTR + name];
  return v === undefined ? undefined : String(v);
}

export function intText(node: unknown, name: string): number | undefined {
  const t = text(node, name);
  if (t === undefined || !/^-?\d+$/.test(t.trim())) return undefined;
  return Number(t);
}

/** Builds from fast-xml-parser's ordered form (preserveOrder), for documents whose sibling order matters. */
export function buildOrderedXml(ordered: XmlNode[]): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: ATTR, format: true, indentBy: '  ', preserveOrder: true, suppressEmptyNode: true });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${(builder.build(ordered) as string).replace(/^\s+/, '')}`;
}

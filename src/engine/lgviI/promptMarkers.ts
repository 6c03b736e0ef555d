/**
 * The LGVI-I answer and where its instruction starts. The model is told to wrap the removal
 * instruction as `{{prompt}} … {{/prompt}}`; the hidden states of the generated tokens from the
 * opening marker on feed the transfer head, and the user sees the answer with the markers taken
 * out. Token boundaries need not fall on the marker's: the marker starts in the first token whose
 * decoded prefix reaches into it.
 */

export interface MarkedAnswer {
  /** What the user is shown: the answer with both markers removed. */
  answer: string;
  /** The words between the markers (or after the opening one, if it never closes); null without a marker. */
  instruction: string | null;
  /** Index of the first generated token that belongs to the opening marker; null without one. */
  firstPromptToken: number | null;
}

/**
 * `prefixes[k]` is the decoded text of generated tokens 0..k, so token k's own text ends at
 * prefixes[k].length (decoding all at once, not token by token, keeps multi-byte characters and
 * leading-space rules right).
 */
export function findPromptMarkers(prefixes: readonly string[], open: string, close: string): MarkedAnswer {
  const text = prefixes.at(-1) ?? '';
  const start = text.indexOf(open);
  const strip = (s: string) => s.split(open).join('').split(close).join('').replace(/\s{2,}/g, ' ').trim();
  if (start < 0) return { answer: strip(text), instruction: null, firstPromptToken: null };
  const end = text.indexOf(close, start + open.length);
  const instruction = text.slice(start + open.length, end < 0 ? undefined : end).trim();
  const firstPromptToken = prefixes.findIndex((p) => p.length > start);
  return { answer: strip(text), instruction: instruction || null, firstPromptToken };
}

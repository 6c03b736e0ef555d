// A light check that the pack's tokenizer.json is a Hugging Face `tokenizers` file. The tokenizer
// module parses it for real; this only catches a pack that ships something else under that name
// (a vocab.json, a merges.txt) with the other pack problems, before any model work starts.
import { readFile } from 'node:fs/promises';

/** A problem with the tokenizer file, or undefined if it looks like a tokenizers JSON. */
export async function tokenizerFileProblem(path: string, shownAs: string): Promise<string | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return `${shownAs} is not valid JSON: ${(e as Error).message}`;
  }
  const model = raw && typeof raw === 'object' ? (raw as { model?: unknown }).model : undefined;
  if (!model || typeof model !== 'object') return `${shownAs} is not a Hugging Face tokenizer.json (no "model" section)`;
  return undefined;
}

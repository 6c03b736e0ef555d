// Reading a pack's tokenizer.json for the CLIP tokenizer: the file parsed, checked for the parts the
// engine relies on, and opened with @huggingface/tokenizers. Everything wrong with the file is a
// MODEL_PACK_INVALID naming it, so a broken pack is reported before any model work starts.
//
// The sequence framing (start token, text, end token, padding to 77) is CLIP's and is applied by
// ClipTokenizer, not taken from the file's post-processor: tokenizers.js implements neither
// truncation nor padding, and a pack's tokenizer may have no post-processor at all. What the file
// does decide, it is read from: the ids of <|startoftext|> and <|endoftext|>, and the padding id
// (Stable Diffusion 1.x pads with <|endoftext|>; SD 2.x tokenizers pad with "!", id 0, and say so in
// their `padding` section).
import { readFile } from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { z } from 'zod';
import { LacunaError } from '../../util/errors';
import { TEXT_TOKENS } from '../pack/contract';

export const START_TOKEN = '<|startoftext|>';
export const END_TOKEN = '<|endoftext|>';

// Only the sections this module reads are described; everything else passes through to the library.
const PaddingSchema = z.looseObject({
  strategy: z.union([z.literal('BatchLongest'), z.looseObject({ Fixed: z.int().min(1) })]).optional(),
  direction: z.enum(['Left', 'Right']).optional(),
  pad_id: z.int().min(0),
});
const TruncationSchema = z.looseObject({
  direction: z.enum(['Left', 'Right']).optional(),
  max_length: z.int().min(1),
});
const TokenizerJsonSchema = z.looseObject({
  added_tokens: z.array(z.looseObject({ id: z.int().min(0), content: z.string() })).default([]),
  padding: PaddingSchema.nullable().optional(),
  truncation: TruncationSchema.nullable().optional(),
  model: z.looseObject({ type: z.string().optional(), unk_token: z.string().nullable().optional() }),
});

/** tokenizer.json opened for CLIP's framing. */
export interface OpenedTokenizerFile {
  readonly tokenizer: Tokenizer;
  readonly startId: number;
  readonly endId: number;
  readonly padId: number;
  /** How errors name the file. */
  readonly shownAs: string;
}

export function tokenizerInvalid(shownAs: string, problem: string, cause?: unknown): LacunaError {
  return new LacunaError(
    'MODEL_PACK_INVALID',
    `tokenizer file ${shownAs} ${problem}`,
    "Re-download the model pack; its tokenizer.json must be CLIP's Hugging Face tokenizer file.",
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Opens tokenizer.json text. `shownAs` names the file in errors (the pack-relative path, or the
 * full path when there is no pack).
 */
export function openTokenizerJson(text: string, shownAs: string): OpenedTokenizerFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw tokenizerInvalid(shownAs, `is not valid JSON (${(e as Error).message})`, e);
  }
  const parsed = TokenizerJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw tokenizerInvalid(shownAs, `is not a Hugging Face tokenizer.json: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const json = parsed.data;
  const { padding, truncation } = json;
  // The text encoder takes exactly TEXT_TOKENS ids, right-padded; a file that asks for another
  // length or for left padding belongs to another model and would silently misalign the text.
  if (padding && typeof padding.strategy === 'object' && padding.strategy.Fixed !== TEXT_TOKENS) {
    throw tokenizerInvalid(shownAs, `pads to ${padding.strategy.Fixed} tokens; the text encoder takes ${TEXT_TOKENS}`);
  }
  if (padding?.direction === 'Left') throw tokenizerInvalid(shownAs, `pads on the left; CLIP's text encoder expects padding on the right`);
  if (truncation && truncation.max_length !== TEXT_TOKENS) {
    throw tokenizerInvalid(shownAs, `truncates to ${truncation.max_length} tokens; the text encoder takes ${TEXT_TOKENS}`);
  }
  if (truncation?.direction === 'Left') throw tokenizerInvalid(shownAs, `truncates on the left; CLIP keeps the start of a prompt`);

  let tokenizer: Tokenizer;
  try {
    // The second argument is what tokenizer_config.json would hold; a pack has none. unk_token is
    // passed so word-level vocabularies (which the library reads through its "legacy" model) map
    // unknown words to the file's unknown token instead of to nothing.
    tokenizer = new Tokenizer(raw as object, { unk_token: json.model.unk_token ?? undefined });
  } catch (e) {
    throw tokenizerInvalid(shownAs, `cannot be loaded: ${(e as Error).message}`, e);
  }
  const startId = tokenizer.token_to_id(START_TOKEN);
  const endId = tokenizer.token_to_id(END_TOKEN);
  if (startId === undefined || endId === undefined) {
    throw tokenizerInvalid(shownAs, `has no ${startId === undefined ? START_TOKEN : END_TOKEN} token, so it is not a CLIP tokenizer`);
  }
  return { tokenizer, startId, endId, padId: padding?.pad_id ?? endId, shownAs };
}

/** Reads and opens a tokenizer.json file; a missing or unreadable file is MODEL_PACK_INVALID too. */
export async function readTokenizerJson(path: string, shownAs: string = path): Promise<OpenedTokenizerFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw tokenizerInvalid(shownAs, code === 'ENOENT' ? 'is missing' : `cannot be read (${(e as Error).message})`, e);
  }
  return openTokenizerJson(text, shownAs);
}

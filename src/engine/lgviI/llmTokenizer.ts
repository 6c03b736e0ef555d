/**
 * The LLM's tokenizer.json (LLaMA's SentencePiece BPE, as Hugging Face exports it) through
 * @huggingface/tokenizers, the library the CLIP tokenizer already uses. The template's framing
 * (BOS, roles, separators) is applied by LgviIModel from the manifest, so nothing is added here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { LacunaError } from '../util/errors';
import type { LlmTokenizer } from './generate';

export async function openLlmTokenizer(dir: string, file: string): Promise<LlmTokenizer> {
  const path = join(dir, file);
  let tokenizer: Tokenizer;
  try {
    const json = JSON.parse(await readFile(path, 'utf8')) as { model?: { unk_token?: string } };
    tokenizer = new Tokenizer(json as object, { unk_token: json.model?.unk_token });
  } catch (e) {
    throw new LacunaError('MODEL_PACK_INVALID', `${path} is not a tokenizer.json: ${String((e as Error).message ?? e).split('\n')[0]}`, 'Re-export the pack; see models/README.md.');
  }
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: false }),
  };
}

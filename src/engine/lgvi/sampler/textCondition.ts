// The text side of the U-Net's condition: CLIP embeddings of the prompt and of the empty prompt
// (the guidance passes' "no instruction"), computed once per job in one batch of two.
import { TEXT_TOKENS, TEXT_WIDTH } from '../pack/contract';
import type { ClipTokenizer } from '../tokenizer/clipTokenizer';
import type { ModelRunner } from './models';

export interface TextCondition {
  /** [77, 768]: the prompt's embedding ([N, 768] from LGVI-I's transfer head). */
  readonly prompt: Float32Array;
  /** [77, 768]: the empty prompt's embedding (LGVI-I: zeros of the prompt's shape, as the reference). */
  readonly empty: Float32Array;
  /** Sentences for the user (a prompt longer than CLIP's 77 tokens is cut). */
  readonly warnings: readonly string[];
}

export async function encodeText(textEncoder: ModelRunner, tokenizer: ClipTokenizer, prompt: string, signal?: AbortSignal): Promise<TextCondition> {
  const batch = tokenizer.encodeBatch([prompt, '']);
  const out = await textEncoder.run({ input_ids: batch.tensor }, { signal });
  const hidden = out.last_hidden_state.data;
  const size = TEXT_TOKENS * TEXT_WIDTH;
  return { prompt: hidden.slice(0, size), empty: hidden.slice(size, 2 * size), warnings: batch.warnings };
}

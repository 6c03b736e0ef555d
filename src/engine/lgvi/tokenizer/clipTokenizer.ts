// The text side of LGVI's input: a prompt turned into the 77 CLIP token ids the text encoder takes,
// the way Stable Diffusion's pipelines call CLIPTokenizer (padding="max_length", max_length=77,
// truncation=True): <|startoftext|>, the prompt's BPE tokens, <|endoftext|>, then the padding id up
// to 77. A prompt longer than 75 tokens keeps its first 75 and the end token; the cut part is
// reported, as diffusers logs it, so a user learns that the end of a long description was ignored.
// The empty prompt (the guidance passes' condition) is <|startoftext|> <|endoftext|> and padding.
//
// Normalisation, pre-tokenisation and BPE come from the pack's tokenizer.json through
// @huggingface/tokenizers (CLIP's NFC + whitespace + lowercase normaliser, its split regex,
// byte-level mapping and "</w>" end-of-word BPE are all supported there).
import type { Tokenizer } from '@huggingface/tokenizers';
import { TEXT_TOKENS } from '../pack/contract';
import type { HostTensor } from '../pack/hostTensors';
import { openTokenizerJson, readTokenizerJson, tokenizerInvalid, type OpenedTokenizerFile } from './tokenizerJson';

export interface EncodedPrompt {
  /** Exactly TEXT_TOKENS (77) ids: start, prompt tokens, end, padding. */
  readonly ids: Int32Array;
  /** Ids before padding, start and end tokens included (at most 77). */
  readonly length: number;
  /** The cut text, decoded, when the prompt did not fit; undefined otherwise. */
  readonly truncatedText?: string;
  /** A sentence for the user when the prompt was truncated, e.g. `... truncated: "on the left"`. */
  readonly warning?: string;
}

export interface EncodedBatch {
  /** The prompts' ids one after another: dims [B, 77], the text encoder's `input_ids`. */
  readonly tensor: HostTensor;
  /** One entry per truncated prompt. */
  readonly warnings: readonly string[];
}

/** Prompt tokens that fit between the start and end tokens. */
const ROOM = TEXT_TOKENS - 2;

export class ClipTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly shownAs: string;
  readonly startId: number;
  readonly endId: number;
  readonly padId: number;

  private constructor(opened: OpenedTokenizerFile) {
    this.tokenizer = opened.tokenizer;
    this.shownAs = opened.shownAs;
    this.startId = opened.startId;
    this.endId = opened.endId;
    this.padId = opened.padId;
  }

  /** Loads a pack's tokenizer.json; `shownAs` names it in errors (default: the path). */
  static async load(path: string, shownAs?: string): Promise<ClipTokenizer> {
    return new ClipTokenizer(await readTokenizerJson(path, shownAs));
  }

  /** From tokenizer.json text already in memory. */
  static fromJson(text: string, shownAs: string): ClipTokenizer {
    return new ClipTokenizer(openTokenizerJson(text, shownAs));
  }

  /** The prompt's own token ids, no start/end tokens, no limit. */
  tokenIds(prompt: string): number[] {
    const ids = this.tokenizer.encode(prompt, { add_special_tokens: false }).ids;
    const bad = ids.findIndex((id) => !Number.isInteger(id));
    // Only a vocabulary without an unknown token can leave a piece without an id; CLIP's has one.
    if (bad >= 0) {
      const piece = this.tokenizer.tokenize(prompt)[bad];
      throw tokenizerInvalid(this.shownAs, `has no id for ${JSON.stringify(piece)} and no unknown token ("unk_token")`);
    }
    return ids;
  }

  /** Text of token ids, as the tokenizer's decoder writes it (used to show what was cut). */
  decode(ids: readonly number[]): string {
    return ids.length === 0 ? '' : this.tokenizer.decode([...ids], { skip_special_tokens: true }).trim();
  }

  encode(prompt: string): EncodedPrompt {
    const tokens = this.tokenIds(prompt);
    const kept = tokens.slice(0, ROOM);
    const ids = new Int32Array(TEXT_TOKENS).fill(this.padId);
    ids[0] = this.startId;
    ids.set(kept, 1);
    ids[1 + kept.length] = this.endId;
    const length = kept.length + 2;
    if (tokens.length <= ROOM) return { ids, length };
    const truncatedText = this.decode(tokens.slice(ROOM));
    return {
      ids,
      length,
      truncatedText,
      warning: `The prompt is longer than CLIP's ${TEXT_TOKENS} tokens (${tokens.length + 2}); the rest was ignored, truncated: "${truncatedText}"`,
    };
  }

  /** Several prompts as one [B, 77] `input_ids` tensor (e.g. the prompt and "" for guidance). */
  encodeBatch(prompts: readonly string[]): EncodedBatch {
    const data = new Int32Array(prompts.length * TEXT_TOKENS);
    const warnings: string[] = [];
    prompts.forEach((prompt, i) => {
      const encoded = this.encode(prompt);
      data.set(encoded.ids, i * TEXT_TOKENS);
      if (encoded.warning) warnings.push(encoded.warning);
    });
    return { tensor: { data, dims: [prompts.length, TEXT_TOKENS] }, warnings };
  }
}

/**
 * LGVI-I's multimodal LLM in TypeScript on onnxruntime: the first frame through the vision tower
 * and projector, the conversation in the pack's template with the image's embeddings where its
 * image token stands, then token-by-token generation with a KV cache — the decoder is fed only
 * the new token each step, with the past keys and values it returned the step before — until the
 * end-of-sequence token or the token limit. Each step keeps the decoder's last-layer hidden state
 * at the position that produced its token, the end-of-sequence token's too (what the reference's
 * `generate(output_hidden_states=True)` gives: `hidden_states[0][-1][:, -1:]`, then each step's).
 * The reference slices those from `get_prompt_id_start`, which counts the tokens of the answer
 * before `{{prompt}}`, re-tokenised, plus the BOS token its tokenizer call adds (see
 * `promptIdStart`). Those go through the transfer head:
 * the result is the prompt pass's `encoder_hidden_states`. Where the reference, finding no marker,
 * still passes everything after the first state, Lacuna removes nothing: an answer without an
 * instruction is not one.
 *
 * `useCache: false` recomputes the whole sequence every step instead; it exists so a test can hold
 * the cached path to it.
 */
import type { Tensor } from 'onnxruntime-node';
import { join } from 'node:path';
import type { SessionFactory, SessionLike } from '../lgvi/pack/ortRunner';
import type { RgbImage } from '../lite/types';
import { cancelledError, LacunaError } from '../util/errors';
import { clipPixelValues } from './clipImage';
import type { LgviIManifest } from './manifest';
import { findPromptMarkers } from './promptMarkers';
import { sampleToken } from './sampleToken';

export interface LlmTokenizer {
  /** Token ids of plain text, with no special tokens added. */
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

export interface ConversationTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface GenerateOptions {
  seed: number;
  temperature?: number;
  maxNewTokens?: number;
  useCache?: boolean;
  signal?: AbortSignal;
  /** Called after each generated token. */
  onToken?: (count: number) => void;
}

export interface Generation {
  /** The answer as shown, markers stripped. */
  answer: string;
  /** The words between the markers, for the user to read and the take's record. */
  instruction: string | null;
  /** prompt_embeds [1, N, outputWidth] from the transfer head; null when the model marked no instruction. */
  promptEmbeds: { data: Float32Array; dims: [1, number, number] } | null;
  tokens: number[];
  /** Last-layer hidden state behind each generated token (and the end-of-sequence one, if reached), rows of hiddenSize. */
  hidden: Float32Array;
  stoppedBy: 'eos' | 'limit';
}

type TensorClass = typeof Tensor;

interface Sessions {
  vision: SessionLike;
  projector: SessionLike;
  embed: SessionLike;
  decoder: SessionLike;
  transfer: SessionLike;
}

export class LgviIModel {
  private constructor(
    readonly manifest: LgviIManifest,
    private readonly sessions: Sessions,
    private readonly tokenizer: LlmTokenizer,
    private readonly T: TensorClass,
  ) {}

  static async open(dir: string, manifest: LgviIManifest, tokenizer: LlmTokenizer, createSession: SessionFactory): Promise<LgviIModel> {
    const { Tensor: T } = await import('onnxruntime-node');
    const options = { executionProviders: ['cpu'] };
    const open = (file: string) =>
      createSession(join(dir, file), options).catch((e: unknown) => {
        throw new LacunaError('MODEL_PACK_INVALID', `${file} in ${dir} did not load: ${String((e as Error).message ?? e).split('\n')[0]}`, 'Re-export the pack; see models/README.md.');
      });
    const sessions: Sessions = {
      vision: await open(manifest.vision.file),
      projector: await open(manifest.projector.file),
      embed: await open(manifest.embed.file),
      decoder: await open(manifest.decoder.file),
      transfer: await open(manifest.transfer.file),
    };
    return new LgviIModel(manifest, sessions, tokenizer, T);
  }

  async release(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((s: SessionLike) => s.release()));
  }

  private async runOne(session: SessionLike, feeds: Record<string, Tensor>, output: string): Promise<Tensor> {
    const out = await session.run(feeds, [output]);
    const t = out[output] as Tensor | undefined;
    if (!t) throw new LacunaError('MODEL_PACK_INVALID', `an LGVI-I model returned no "${output}"`);
    return t;
  }

  /** image_embeds [1, P, H] of the first frame. */
  async imageEmbeds(frame: RgbImage): Promise<Tensor> {
    const { imageSize, mean, std } = this.manifest.vision;
    const pixels = new this.T('float32', clipPixelValues(frame, imageSize, mean, std), [1, 3, imageSize, imageSize]);
    const features = await this.runOne(this.sessions.vision, { pixel_values: pixels }, 'image_features');
    return this.runOne(this.sessions.projector, { image_features: features }, 'image_embeds');
  }

  async tokenEmbeds(ids: readonly number[]): Promise<Float32Array> {
    const t = new this.T('int64', BigInt64Array.from(ids.map((i) => BigInt(i))), [1, ids.length]);
    return (await this.runOne(this.sessions.embed, { input_ids: t }, 'inputs_embeds')).data as Float32Array;
  }

  /** The prompt's token pieces around the image: text before it, the image, text after. */
  promptIds(turns: readonly ConversationTurn[], request: string): { before: number[]; after: number[] } {
    const c = this.manifest.conversation;
    let text = c.system ? `${c.system}${c.separator}` : '';
    const all = [...turns, { role: 'user' as const, text: request }];
    all.forEach((t, i) => {
      if (t.role === 'user') text += `${c.userPrefix}${i === 0 ? `${c.imageToken}\n` : ''}${t.text}${c.separator}`;
      else text += `${c.assistantPrefix}${c.separator}${t.text}${c.answerEnd}`;
    });
    text += c.assistantPrefix;
    const at = text.indexOf(c.imageToken);
    const before = [this.manifest.llm.bosTokenId, ...this.tokenizer.encode(text.slice(0, at))];
    return { before, after: this.tokenizer.encode(text.slice(at + c.imageToken.length)) };
  }

  async generate(frame: RgbImage, turns: readonly ConversationTurn[], request: string, options: GenerateOptions): Promise<Generation> {
    const { llm, generation, markers } = this.manifest;
    const temperature = options.temperature ?? generation.temperature;
    const limit = Math.min(options.maxNewTokens ?? generation.maxNewTokens, generation.maxNewTokens);
    const useCache = options.useCache ?? true;
    const H = llm.hiddenSize;

    const image = await this.imageEmbeds(frame);
    const { before, after } = this.promptIds(turns, request);
    const imageData = image.data as Float32Array;
    const prompt = concatRows([await this.tokenEmbeds(before), imageData, await this.tokenEmbeds(after)]);
    const promptLength = prompt.length / H;
    if (promptLength + limit > llm.maxPositions) {
      throw new LacunaError('BAD_ARGUMENT', `the conversation is too long for the model (${promptLength} tokens of ${llm.maxPositions})`, 'Start a new conversation on this clip.');
    }

    const tokens: number[] = [];
    const hidden: number[][] = [];
    const prefixes: string[] = [];
    let past: Record<string, Tensor> = this.emptyPast();
    let sequence = prompt; // no-cache mode: everything so far
    let step = await this.decode(prompt, 0, past);
    let stoppedBy: Generation['stoppedBy'] = 'limit';
    for (let n = 0; n < limit; n++) {
      if (options.signal?.aborted) throw cancelledError();
      const token = sampleToken(step.lastLogits, temperature, options.seed, n);
      hidden.push(Array.from(step.lastHidden));
      if (token === llm.eosTokenId) {
        stoppedBy = 'eos';
        break;
      }
      tokens.push(token);
      prefixes.push(this.tokenizer.decode(tokens));
      options.onToken?.(tokens.length);
      if (n === limit - 1) break;
      const embed = await this.tokenEmbeds([token]);
      if (useCache) {
        past = step.present;
        step = await this.decode(embed, promptLength + n, past);
      } else {
        sequence = concatRows([sequence, embed]);
        step = await this.decode(sequence, 0, this.emptyPast());
      }
    }

    const marked = findPromptMarkers(prefixes, markers.open, markers.close);
    const hiddenFlat = Float32Array.from(hidden.flat());
    let promptEmbeds: Generation['promptEmbeds'] = null;
    const first = marked.firstPromptToken === null ? null : this.promptIdStart(prefixes.at(-1) ?? '');
    if (first !== null && first < hidden.length) {
      const rows = hidden.length - first;
      const input = new this.T('float32', hiddenFlat.slice(first * H), [1, rows, H]);
      const out = await this.runOne(this.sessions.transfer, { hidden_states: input }, 'prompt_embeds');
      promptEmbeds = { data: out.data as Float32Array, dims: [1, rows, this.manifest.transfer.outputWidth] };
    }
    return { answer: marked.answer, instruction: marked.instruction, promptEmbeds, tokens, hidden: hiddenFlat, stoppedBy };
  }

  /**
   * The reference's `get_prompt_id_start`: the answer (decoded, trimmed) up to its last opening
   * marker, with the marker left out, tokenised afresh with the BOS token; its length is the first
   * kept state. Counted, not taken from the token the marker starts in, because the re-tokenised
   * text ends with the space before the marker, which LLaMA's tokenizer makes a token of its own
   * ("Sure, " is "▁Sure", ",", "▁"): the reference then skips the marker's first token's state
   * too, and Lacuna keeps what the reference keeps (held to it by test/lgviI/exportedPack.test.ts).
   */
  private promptIdStart(answer: string): number {
    const chunks = answer.trim().split(this.manifest.markers.open);
    return 1 + this.tokenizer.encode(chunks.slice(0, -1).join('')).length;
  }

  private emptyPast(): Record<string, Tensor> {
    const { layers, kvHeads, headDim } = this.manifest.llm;
    const past: Record<string, Tensor> = {};
    for (let i = 0; i < layers; i++) {
      past[`past_key_values.${i}.key`] = new this.T('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
      past[`past_key_values.${i}.value`] = new this.T('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
    }
    return past;
  }

  /** One decoder run over `embeds` (rows of H) at positions start.., after `past`. */
  private async decode(embeds: Float32Array, start: number, past: Record<string, Tensor>): Promise<{ lastLogits: Float32Array; lastHidden: Float32Array; present: Record<string, Tensor> }> {
    const { hiddenSize: H, layers, vocabSize } = this.manifest.llm;
    const S = embeds.length / H;
    const total = start + S;
    const feeds: Record<string, Tensor> = {
      inputs_embeds: new this.T('float32', embeds, [1, S, H]),
      attention_mask: new this.T('int64', new BigInt64Array(total).fill(1n), [1, total]),
      position_ids: new this.T('int64', BigInt64Array.from({ length: S }, (_, i) => BigInt(start + i)), [1, S]),
      ...past,
    };
    const names = ['logits', 'last_hidden_state', ...Array.from({ length: layers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat()];
    const out = await this.sessions.decoder.run(feeds, names);
    const logits = (out.logits as Tensor).data as Float32Array;
    const hiddenOut = (out.last_hidden_state as Tensor).data as Float32Array;
    const present: Record<string, Tensor> = {};
    for (let i = 0; i < layers; i++) {
      present[`past_key_values.${i}.key`] = out[`present.${i}.key`] as Tensor;
      present[`past_key_values.${i}.value`] = out[`present.${i}.value`] as Tensor;
    }
    return { lastLogits: logits.slice((S - 1) * vocabSize, S * vocabSize), lastHidden: hiddenOut.slice((S - 1) * H, S * H), present };
  }
}

function concatRows(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The LGVI-I part of a model pack (the paper's interactive task): `lgvi-i.json` beside the LGVI
 * pack's manifest, naming the multimodal LLM's pieces as separate ONNX files, because each runs
 * at its own time — the vision tower and projector once per conversation turn on the first frame,
 * the token embedding and the decoder once per generated token (with a KV cache), the transfer
 * head once on the hidden states of the instruction. The contract is in models/README.md.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LacunaError } from '../util/errors';

export const LGVI_I_MANIFEST = 'lgvi-i.json';
export const LGVI_I_FORMAT = 'lacuna.lgvi-i-pack';

const File = z.string().min(1).regex(/^[^/\\]+$/, 'a file name inside the pack folder');
const PositiveInt = z.number().int().min(1);

export const LgviIManifestSchema = z.strictObject({
  format: z.literal(LGVI_I_FORMAT),
  version: z.literal(1),
  id: z.string().min(1),
  llm: z.strictObject({
    /** The decoder's width (LLaVA-1.5-7B: 4096). */
    hiddenSize: PositiveInt,
    layers: PositiveInt,
    kvHeads: PositiveInt,
    headDim: PositiveInt,
    vocabSize: PositiveInt,
    bosTokenId: z.number().int().min(0),
    eosTokenId: z.number().int().min(0),
    /** Longest sequence the decoder takes (prompt + answer). */
    maxPositions: PositiveInt,
  }),
  vision: z.strictObject({
    /** pixel_values [1, 3, S, S] → image_features [1, P, Dv]. */
    file: File,
    /** CLIP ViT-L/14-336: 336; the first frame's short side is resized to it, then centre-cropped. */
    imageSize: PositiveInt,
    mean: z.tuple([z.number(), z.number(), z.number()]),
    std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
  }),
  /** image_features [1, P, Dv] → image_embeds [1, P, hiddenSize]. */
  projector: z.strictObject({ file: File }),
  /** input_ids [1, S] (int64) → inputs_embeds [1, S, hiddenSize]. */
  embed: z.strictObject({ file: File }),
  /**
   * inputs_embeds [1, S, H], attention_mask [1, past + S] (int64), position_ids [1, S] (int64),
   * past_key_values.{i}.key|value [1, kvHeads, past, headDim] → logits [1, S, vocab],
   * last_hidden_state [1, S, H], present.{i}.key|value [1, kvHeads, past + S, headDim].
   */
  decoder: z.strictObject({ file: File }),
  /** hidden [1, N, H] → prompt_embeds [1, N, 768]: replaces the CLIP text embedding of the prompt pass. */
  transfer: z.strictObject({ file: File, outputWidth: PositiveInt }),
  tokenizer: File,
  conversation: z.strictObject({
    system: z.string(),
    /** Where the image goes in the first user turn. */
    imageToken: z.string().min(1),
    userPrefix: z.string(),
    assistantPrefix: z.string(),
    /** Between a turn and the next (LLaVA v1: " " after a user turn, "</s>" after an answer). */
    separator: z.string(),
    answerEnd: z.string(),
  }),
  markers: z.strictObject({ open: z.string().min(1), close: z.string().min(1) }).default({ open: '{{prompt}}', close: '{{/prompt}}' }),
  generation: z.strictObject({ temperature: z.number().min(0), maxNewTokens: PositiveInt }).default({ temperature: 0.2, maxNewTokens: 1024 }),
});
export type LgviIManifest = z.infer<typeof LgviIManifestSchema>;

export async function readLgviIManifest(dir: string): Promise<LgviIManifest> {
  const path = join(dir, LGVI_I_MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new LacunaError('MODEL_PACK_NOT_FOUND', `${dir} has no LGVI-I part (${LGVI_I_MANIFEST})`, 'Export the pack with the LGVI-I part (models/export), or chat through a local LLM instead.');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LacunaError('MODEL_PACK_INVALID', `${path} is not JSON`);
  }
  const parsed = LgviIManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LacunaError('MODEL_PACK_INVALID', `${path}: ${issue.path.join('.') || 'manifest'}: ${issue.message}`, 'Re-export the pack; see models/README.md for the LGVI-I contract.');
  }
  return parsed.data;
}

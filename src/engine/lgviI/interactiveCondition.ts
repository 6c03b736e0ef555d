/**
 * What an LGVI-I removal feeds the U-Net instead of CLIP's text: the transfer head's embedding of
 * the instruction the multimodal LLM wrote while answering the chat, and, as the reference's
 * interactive pipeline does, zeros of the same shape for the two guidance passes. The LLM sees the
 * range's first frame. Nothing is sampled when the answer holds no instruction.
 */
import { decodeFrames } from '../media/decode';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import type { FrameRange, MediaInfo } from '../media/types';
import type { SessionFactory } from '../lgvi/pack/ortRunner';
import { threadSessionFactory } from '../lgvi/pack/ortThread';
import { TEXT_WIDTH } from '../lgvi/pack/contract';
import type { TextCondition } from '../lgvi/sampler/textCondition';
import { LacunaError } from '../util/errors';
import { LgviIModel, type ConversationTurn } from './generate';
import { openLlmTokenizer } from './llmTokenizer';
import { readLgviIManifest } from './manifest';

export interface InteractiveCondition {
  answer: string;
  instruction: string | null;
  /** Null when the answer marked no instruction: nothing to remove. */
  text: TextCondition | null;
  tokens: number;
}

export async function interactiveCondition(input: {
  packDir: string;
  media: MediaInfo;
  range: FrameRange;
  message: string;
  history?: readonly ConversationTurn[];
  seed: number;
  signal: AbortSignal;
  ffmpeg: FfmpegPaths;
  createSession?: SessionFactory;
  onToken?: (count: number) => void;
}): Promise<InteractiveCondition> {
  const manifest = await readLgviIManifest(input.packDir);
  if (manifest.transfer.outputWidth !== TEXT_WIDTH) {
    throw new LacunaError('MODEL_PACK_INVALID', `the LGVI-I transfer head gives ${manifest.transfer.outputWidth}-wide embeddings; the U-Net takes ${TEXT_WIDTH}`, 'Re-export the pack; see models/README.md.');
  }
  const tokenizer = await openLlmTokenizer(input.packDir, manifest.tokenizer);
  const model = await LgviIModel.open(input.packDir, manifest, tokenizer, input.createSession ?? threadSessionFactory);
  try {
    let frame;
    for await (const f of decodeFrames(input.media, { range: { start: input.range.start, end: input.range.start + 1 }, signal: input.signal, ffmpeg: input.ffmpeg })) frame = f;
    if (!frame) throw new LacunaError('MEDIA_UNREADABLE', 'the first frame of the range could not be read');
    const g = await model.generate({ width: frame.width, height: frame.height, data: frame.data }, input.history ?? [], input.message, {
      seed: input.seed,
      signal: input.signal,
      ...(input.onToken && { onToken: input.onToken }),
    });
    const text = g.promptEmbeds ? { prompt: g.promptEmbeds.data, empty: new Float32Array(g.promptEmbeds.data.length), warnings: [] } : null;
    return { answer: g.answer, instruction: g.instruction, text, tokens: g.tokens.length };
  } finally {
    await model.release();
  }
}

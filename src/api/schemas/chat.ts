import { z } from 'zod';
import { ChatMessageSchema } from './chatMessage';
import { ProjectSchema } from './project';

export { ChatMessageSchema, type ChatMessageDto } from './chatMessage';

/**
 * Who reads the request: nobody but Lite's grammar, a local OpenAI-compatible server, a GGUF file
 * in process, or an installed LGVI-I model pack's own multimodal LLM (which then also removes).
 */
export const ChatModelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  z
    .object({
      kind: z.literal('endpoint'),
      url: z.string().min(1).max(500),
      model: z.string().min(1).max(200),
      apiKey: z.string().max(500).optional(),
      timeoutSeconds: z.number().positive().max(3600).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('gguf'), file: z.string().min(1).max(4096), threads: z.number().int().min(1).max(256).optional() }).strict(),
  z.object({ kind: z.literal('lgvi-i') }).strict(),
]);
export type ChatModelDto = z.infer<typeof ChatModelSchema>;

export const ChatRequestSchema = z
  .object({
    clipId: z.string().min(1),
    message: z.string().trim().min(1, 'say what you want').max(2000),
    /**
     * The turns since the clip's active take was made (answers that rendered nothing yet). The
     * conversation before them is the one saved with the active take.
     */
    pending: z.array(ChatMessageSchema).max(200).default([]),
    model: ChatModelSchema.default({ kind: 'none' }),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  })
  .strict();
export type ChatRequestDto = z.infer<typeof ChatRequestSchema>;

export const ChatReplySchema = z.object({
  answer: z.string(),
  /** The plain instruction to confirm (and edit) before rendering; null when nothing should be removed. */
  instruction: z.string().nullable(),
  responder: z.enum(['parser', 'gguf', 'endpoint', 'lgvi-i']),
  /** The whole conversation including this turn: pass it as the removal job's `conversation`. */
  conversation: z.array(ChatMessageSchema),
  /** "undo that": the take the clip was switched back to, and the project after it. */
  undoneTo: z.string().nullable(),
  project: ProjectSchema.nullable(),
});
export type ChatReplyDto = z.infer<typeof ChatReplySchema>;

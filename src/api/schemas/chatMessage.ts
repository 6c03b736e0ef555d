import { z } from 'zod';

/** One turn of a clip's conversation (the chat task); an answer carries the instruction it settled on. */
export const ChatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string().max(4000),
  instruction: z.string().max(500).optional(),
});
export type ChatMessageDto = z.infer<typeof ChatMessageSchema>;

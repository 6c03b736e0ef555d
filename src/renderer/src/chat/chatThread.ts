import type { ChatMessageDto } from '../../../api/schemas/chatMessage';
import type { ClipDto } from '../../../api/schemas/project';

/**
 * What the chat panel shows for a clip: the conversation saved with its active take, then the
 * turns since (held here until a removal makes a take of them). Pending turns belong to the take
 * they continued: when the clip shows another take (a new render, a switch, an undo), that
 * take's own conversation is shown instead. Pure, so it is tested without a browser.
 */
export interface PendingChat {
  /** The take the pending turns continue. */
  baseTakeId: string;
  turns: ChatMessageDto[];
  /** The last instruction was sent to render: no second Remove for it. */
  rendering?: boolean;
}

export function savedConversation(clip: ClipDto): ChatMessageDto[] {
  return clip.takes.find((t) => t.id === clip.activeTakeId)?.conversation ?? [];
}

export function pendingFor(clip: ClipDto, pending: PendingChat | undefined): ChatMessageDto[] {
  return pending && pending.baseTakeId === clip.activeTakeId ? pending.turns : [];
}

export function chatThread(clip: ClipDto, pending: PendingChat | undefined): ChatMessageDto[] {
  return [...savedConversation(clip), ...pendingFor(clip, pending)];
}

/** After chat.send: the reply's conversation minus what the take already holds is pending. */
export function pendingAfterReply(clip: ClipDto, conversation: readonly ChatMessageDto[]): PendingChat {
  return { baseTakeId: clip.activeTakeId, turns: conversation.slice(savedConversation(clip).length) };
}

/**
 * The instruction waiting for the user's confirmation: the newest answer's, when that answer is a
 * pending turn (one saved with a take was rendered already) and was not sent to render.
 */
export function openInstruction(clip: ClipDto, pending: PendingChat | undefined): string | null {
  const turns = pendingFor(clip, pending);
  const last = turns.at(-1);
  return !pending?.rendering && last?.role === 'assistant' && last.instruction ? last.instruction : null;
}

/** The conversation to render with, the instruction as the user finally edited it. */
export function withEditedInstruction(thread: readonly ChatMessageDto[], instruction: string): ChatMessageDto[] {
  const copy = thread.map((m) => ({ ...m }));
  const last = copy.at(-1);
  if (last?.role === 'assistant') last.instruction = instruction;
  return copy;
}

/**
 * The app's chat.send: one turn of a clip's conversation over the chat engine. The conversation
 * so far is the one saved with the clip's active take plus the turns since (the renderer holds
 * those until a removal makes a take of them). Nothing renders here: the renderer shows the
 * instruction, the user confirms or edits it, and submits the removal with the conversation.
 * "Undo that" is done here, as a project edit (undoable like any other).
 */
import type { ChatReplyDto, ChatRequestDto } from '../../api/schemas/chat';
import { chatModelFrom, chatTurn, conversationOfClip, describeFirstFrame, undoLastTake, type ChatMessage } from '../chat';
import { clipSourceParams } from '../jobs/clipJob';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { probeMedia } from '../media/probe';
import type { Project } from '../project';
import { mediaSourceOf } from '../project/mediaSource';

export interface ClipChatResult {
  reply: Omit<ChatReplyDto, 'project'>;
  /** True when the project changed ("undo that"). */
  edited: boolean;
}

export async function clipChat(project: Project, request: ChatRequestDto, ffmpeg: FfmpegPaths, signal: AbortSignal): Promise<ClipChatResult> {
  const history: ChatMessage[] = [...conversationOfClip(project, request.clipId), ...request.pending];
  const source = clipSourceParams(project, request.clipId);
  const decision = await chatTurn({
    request: request.message,
    history,
    model: chatModelFrom(request.model, request.seed),
    signal,
    scene: async () => {
      const media = await probeMedia(mediaSourceOf(source.media), { ffmpeg, signal });
      return describeFirstFrame(media, source.range, { ffmpeg, signal });
    },
  });
  const conversation: ChatMessage[] = [
    ...history,
    { role: 'user', text: request.message },
    { role: 'assistant', text: decision.answer, ...(decision.instruction && { instruction: decision.instruction }) },
  ];
  if (decision.undo) {
    const undoneTo = undoLastTake(project, request.clipId);
    const answer = undoneTo ? decision.answer : 'There is nothing to undo: the clip already shows its original.';
    return { reply: { answer, instruction: null, responder: decision.responder, conversation, undoneTo }, edited: undoneTo !== null };
  }
  return { reply: { answer: decision.answer, instruction: decision.instruction, responder: decision.responder, conversation, undoneTo: null }, edited: false };
}

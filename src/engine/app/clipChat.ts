/**
 * The app's chat.send: one turn of a clip's conversation over the chat engine. The conversation
 * so far is the one saved with the clip's active take plus the turns since (the renderer holds
 * those until a removal makes a take of them). Nothing renders here: the renderer shows the
 * instruction, the user confirms or edits it, and submits the removal with the conversation.
 * "Undo that" is done here, as a project edit (undoable like any other).
 */
import type { ChatReplyDto, ChatRequestDto } from '../../api/schemas/chat';
import { chatModelFrom, chatTurn, conversationOfClip, describeFirstFrame, plainInstruction, undoLastTake, type ChatDecision, type ChatMessage } from '../chat';
import type { FrameRange, MediaInfo } from '../media/types';
import type { RemovalEngine } from '../removal/removalEngine';
import { LacunaError } from '../util/errors';
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

export async function clipChat(
  project: Project,
  request: ChatRequestDto,
  ffmpeg: FfmpegPaths,
  signal: AbortSignal,
  /** The installed engines: an LGVI-I one answers when the request asks for it. */
  engines: readonly RemovalEngine[] = [],
): Promise<ClipChatResult> {
  const history: ChatMessage[] = [...conversationOfClip(project, request.clipId), ...request.pending];
  const source = clipSourceParams(project, request.clipId);
  const media = () => probeMedia(mediaSourceOf(source.media), { ffmpeg, signal });
  const model = request.model;
  const decision =
    model.kind === 'lgvi-i'
      ? await lgviIAnswer(request, history, engines, async () => ({ media: await media(), range: source.range }), ffmpeg, signal)
      : await chatTurn({
          request: request.message,
          history,
          model: chatModelFrom(model, request.seed),
          signal,
          scene: async () => describeFirstFrame(await media(), source.range, { ffmpeg, signal }),
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

/**
 * The turn answered by an LGVI-I pack's own LLM ("undo that" still needs no model). Its
 * instruction is shown like any other; the removal then runs with the chat itself (the engine's
 * LLM answers again, seeded, and its instruction's embedding guides the U-Net).
 */
async function lgviIAnswer(
  request: ChatRequestDto,
  history: ChatMessage[],
  engines: readonly RemovalEngine[],
  clip: () => Promise<{ media: MediaInfo; range: FrameRange }>,
  ffmpeg: FfmpegPaths,
  signal: AbortSignal,
): Promise<ChatDecision> {
  const plain = plainInstruction(request.message, history);
  if (plain.undo) return plain;
  const engine = engines.find((e) => e.converse);
  if (!engine?.converse) {
    throw new LacunaError('UNSUPPORTED', 'no LGVI-I model pack is installed', 'Add a model pack with its interactive part (lgvi-i.json), or choose another model for the chat.');
  }
  const { media, range } = await clip();
  const turns = history.map(({ role, text }) => ({ role, text }));
  const reply = await engine.converse({ media, range, message: request.message, history: turns, seed: request.seed }, { signal, ffmpeg });
  return { answer: reply.answer, instruction: reply.instruction, responder: 'lgvi-i' };
}

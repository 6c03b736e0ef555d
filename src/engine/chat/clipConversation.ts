/**
 * A clip's conversation lives with the take it made (`params.extra.conversation`), so a follow-up
 * ("now remove the other one too") continues from the clip's active take, and switching takes
 * switches conversations. "Undo that" shows the take before the active one again; the undone take
 * stays in the clip's list.
 */
import type { Project } from '../project';
import type { ChatMessage } from './types';

export function conversationOfClip(project: Project, clipId: string): ChatMessage[] {
  const take = project.activeTake(clipId);
  const saved = take.kind !== 'original' ? take.params?.extra?.conversation : undefined;
  return Array.isArray(saved) ? (saved as ChatMessage[]) : [];
}

/** Makes the take before the active one active; returns its id, or null when the original is showing. */
export function undoLastTake(project: Project, clipId: string): string | null {
  const clip = project.locateClip(clipId)?.clip;
  if (!clip) return null;
  const at = clip.takes.findIndex((t) => t.id === clip.activeTakeId);
  if (at <= 0) return null;
  const previous = clip.takes[at - 1];
  project.setActiveTake(clip.id, previous.id);
  return previous.id;
}

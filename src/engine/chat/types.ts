/**
 * The chat task's vocabulary (the paper's interactive video inpainting, LGVI-I): the user asks in
 * conversation, the assistant answers in words and settles on one removal instruction, which the
 * user sees, may edit, and confirms before anything is rendered.
 */

export interface ChatMessage {
  role: 'user' | 'assistant';
  text: string;
  /** On an assistant message: the plain instruction it settled on, if any. */
  instruction?: string;
}

/** Who read the request: Lite's grammar (no model), a local LLM (two-stage), or LGVI-I itself. */
export type ChatResponderId = 'parser' | 'gguf' | 'endpoint' | 'lgvi-i';

export interface ChatDecision {
  /** What the assistant says back, shown to the user (markers stripped). */
  answer: string;
  /**
   * A plain referring instruction the removal engines read ("remove the bird on the left"), or
   * null when the request did not say clearly what to remove: then nothing is rendered.
   */
  instruction: string | null;
  /** A follow-up that undoes the last removal ("undo that") rather than removing anything. */
  undo?: boolean;
  responder: ChatResponderId;
}

/** What a responder is told about the clip: the objects Lite's detector sees in the first frame. */
export interface SceneObject {
  label: string;
  /** Box centre and size as fractions of the frame (0..1), so the words do not depend on resolution. */
  cx: number;
  cy: number;
  width: number;
  height: number;
  score: number;
}

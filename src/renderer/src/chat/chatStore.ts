import { create } from 'zustand';
import type { ChatModelDto } from '../../../api/schemas/chat';
import type { PendingChat } from './chatThread';

/*
 * The chat panel's own state: turns not yet saved with a take (per clip), the model the user
 * chose and whether an instruction runs at once. The model choice and run-at-once persist in
 * localStorage (a per-user preference, not part of a project).
 */
export interface ChatState {
  pending: Record<string, PendingChat>;
  model: ChatModelDto;
  runAtOnce: boolean;
  busyClipId: string | null;
}

const STORAGE_KEY = 'lacuna.chat.settings';

function loadSettings(): Pick<ChatState, 'model' | 'runAtOnce'> {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? 'null') as Partial<ChatState> | null;
    if (saved?.model && typeof saved.runAtOnce === 'boolean') return { model: saved.model, runAtOnce: saved.runAtOnce };
  } catch {
    // A corrupt preference is no reason not to start.
  }
  return { model: { kind: 'none' }, runAtOnce: false };
}

export const useChatStore = create<ChatState>()(() => ({ pending: {}, busyClipId: null, ...loadSettings() }));

export function saveChatSettings(settings: Pick<ChatState, 'model' | 'runAtOnce'>): void {
  useChatStore.setState(settings);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // Private mode or a full store: the choice still holds for this session.
  }
}

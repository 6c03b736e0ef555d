import { useEffect } from 'react';
import { actionForKey } from '../actions/registry';
import { runAction } from '../actions/run';
import type { ActionContext } from '../actions/types';
import { useAppStore } from '../store/appStore';

/** Whether keyboard focus is in a text field, where keys mean typing (and Undo the field's own history). */
export function editingText(): boolean {
  const el = document.activeElement;
  return el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement || (el instanceof HTMLInputElement && !['radio', 'checkbox', 'range', 'button'].includes(el.type));
}

/**
 * The editor's keys, from the action registry. Not while a dialog is open (it has its own keys)
 * or while typing; a focused button keeps Space and Enter for itself.
 */
export function useShortcuts(ctx: ActionContext, dialogOpen: boolean): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogOpen || editingText() || e.defaultPrevented) return;
      if (e.key === ' ' && document.activeElement instanceof HTMLButtonElement) return;
      const s = useAppStore.getState();
      const action = actionForKey(e, s, s.info?.host.kind ?? 'browser');
      if (!action) return;
      e.preventDefault();
      void runAction(action, ctx);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ctx, dialogOpen]);
}

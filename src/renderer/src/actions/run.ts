import { useAppStore } from '../store/appStore';
import { isEnabled } from './registry';
import type { Action, ActionContext } from './types';

/** Performs an action on the current state and applies the view state it returns. */
export async function runAction(action: Action, ctx: ActionContext): Promise<void> {
  const s = useAppStore.getState();
  if (!isEnabled(action, s)) return;
  try {
    const result = await action.perform(s, ctx);
    if (result) useAppStore.setState(result);
  } catch (e) {
    ctx.reportError(e);
  }
}

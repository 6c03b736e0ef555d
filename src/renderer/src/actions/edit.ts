import type { CallInput, CallName } from '../../../api/contract';
import type { ActionContext } from './types';

/** Runs an engine call for its effect (project.changed updates the UI); failures become notifications. */
export async function engine<N extends CallName>(ctx: ActionContext, name: N, input: CallInput<N>): Promise<void> {
  try {
    await ctx.client.call(name, input);
  } catch (e) {
    ctx.reportError(e);
  }
}

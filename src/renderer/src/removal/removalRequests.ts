import type { LacunaClient } from '../../../api/client';
import type { CallInput } from '../../../api/contract';
import { refreshFarm } from '../jobs/farmSync';
import { errorOf } from '../errorText';
import { useAppStore, type RemovalDraft } from '../store/appStore';

/* The Remove panel's two calls: Find (grounding only) and Render (a removal job). */

function patch(p: Partial<RemovalDraft>): void {
  useAppStore.setState((s) => (s.removal ? { removal: { ...s.removal, ...p } } : {}));
}

export async function runFind(client: LacunaClient): Promise<void> {
  const d = useAppStore.getState().removal;
  if (!d || !d.expression.trim()) return;
  patch({ busy: 'finding', error: null });
  try {
    const find = await client.call('removal.find', { clipId: d.clipId, expression: d.expression.trim(), engine: d.engine ?? undefined });
    patch({ find, chosen: find.objects.filter((o) => o.chosen).map((o) => o.id), busy: null });
  } catch (e) {
    patch({ busy: null, error: errorOf(e), find: null, chosen: [] });
  }
}

/** Whether the picks differ from what the words chose (only then does the render carry them). */
export function picksChanged(d: RemovalDraft): boolean {
  if (!d.find) return false;
  const words = d.find.objects.filter((o) => o.chosen).map((o) => o.id);
  return words.length !== d.chosen.length || words.some((id) => !d.chosen.includes(id));
}

/** `runOn`: where the panel says it runs now (the farm may have gone since it was picked). */
export async function runRender(client: LacunaClient, runOn: RemovalDraft['runOn'] = 'local'): Promise<boolean> {
  const draft = useAppStore.getState().removal;
  const d = draft && { ...draft, runOn };
  if (!d || !d.expression.trim()) return false;
  if (d.find && d.chosen.length === 0) {
    patch({ error: { message: 'No object is picked, so nothing would be removed.', hint: 'Click an object in the viewer, or change the description and Find again.' } });
    return false;
  }
  patch({ busy: 'submitting', error: null });
  try {
    const engine = d.engine ?? useAppStore.getState().kinds.find((k) => k.category === 'removal')?.kind;
    await client.call('jobs.submit', renderRequest(d, engine));
    // A farm take is not a local job: the Jobs panel sees it on its next poll; ask now.
    if (d.runOn === 'farm') void refreshFarm(client);
    useAppStore.setState({ removal: null });
    return true;
  } catch (e) {
    patch({ busy: null, error: errorOf(e) });
    return false;
  }
}

/** The removal job the Render button queues: the words, the engine's settings, the picks after a Find, and where it runs. */
export function renderRequest(d: RemovalDraft, engine: string | undefined): Extract<CallInput<'jobs.submit'>, { kind: 'remove' }> {
  return {
    kind: 'remove',
    clipId: d.clipId,
    expression: d.expression.trim(),
    engine,
    seed: d.seed,
    maskDilate: d.maskDilate,
    maskFeather: d.maskFeather,
    ...(engine === 'lite' && { engineSettings: { workingSide: d.workingSide } }),
    // After a Find, the render removes exactly what the preview shows picked.
    ...(d.find && { tracks: d.chosen }),
    ...(d.runOn === 'farm' && { runOn: 'farm' as const }),
  };
}

export function togglePick(id: number): void {
  const d = useAppStore.getState().removal;
  if (!d?.find) return;
  patch({ chosen: d.chosen.includes(id) ? d.chosen.filter((x) => x !== id) : [...d.chosen, id] });
}

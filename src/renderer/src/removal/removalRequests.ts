import type { LacunaClient } from '../../../api/client';
import type { CallInput } from '../../../api/contract';
import { refreshFarm } from '../jobs/farmSync';
import { errorOf } from '../errorText';
import { useAppStore, type RemovalDraft } from '../store/appStore';
import type { RemovalRangeDto } from '../../../api/schemas/removalPlan';

/* The Remove panel's two calls: Find (grounding only) and Render (a removal job). */

function patch(p: Partial<RemovalDraft>): void {
  useAppStore.setState((s) => (s.removal ? { removal: { ...s.removal, ...p } } : {}));
}

export async function runFind(client: LacunaClient): Promise<void> {
  const d = useAppStore.getState().removal;
  if (!d || !d.expression.trim() || d.target === 'matte') return;
  patch({ busy: 'finding', error: null });
  try {
    const find = await client.call('removal.find', { ...draftChoices(d), expression: d.expression.trim() });
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
  if (!d || !saysWhat(d)) return false;
  if (d.target === 'words' && d.find && d.chosen.length === 0) {
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

/** The range, starting take, engine and pack the draft names: what removal.plan, Find and Render share. */
export function draftChoices(d: RemovalDraft) {
  const range: RemovalRangeDto = d.range === 'marked' && d.marks ? { kind: 'marked', ...d.marks } : d.range === 'source' ? { kind: 'source' } : { kind: 'clip' };
  return {
    clipId: d.clipId,
    ...(d.engine && { engine: d.engine }),
    ...(d.pack && { pack: d.pack }),
    ...(range.kind !== 'clip' && { range }),
    ...(d.startFrom !== 'active' && { startFrom: d.startFrom }),
  };
}

/** What removal.plan is asked for the draft: the choices, the engine's settings, composite and matte. */
export function planRequest(d: RemovalDraft): CallInput<'removal.plan'> {
  return {
    ...draftChoices(d),
    ...(Object.keys(d.engineSettings).length && { engineSettings: d.engineSettings }),
    ...(d.plan?.composites.length && { composite: d.composite }),
    ...(d.target === 'matte' && d.mattePath.trim() && { matte: { path: d.mattePath.trim() } }),
  };
}

/** The removal job the Render button queues: the words or the matte, the engine's settings, the picks after a Find, and where it runs. */
export function renderRequest(d: RemovalDraft, engine: string | undefined): Extract<CallInput<'jobs.submit'>, { kind: 'remove' }> {
  const matte = d.target === 'matte';
  return {
    kind: 'remove',
    ...draftChoices(d),
    ...(engine && { engine }),
    expression: matte ? '' : d.expression.trim(),
    ...(matte && { matte: { path: d.mattePath.trim() } }),
    seed: d.seed,
    maskDilate: d.maskDilate,
    maskFeather: d.maskFeather,
    ...(Object.keys(d.engineSettings).length && { engineSettings: d.engineSettings }),
    // Only engines that offer composite masks (LGVI) take one.
    ...(d.plan?.composites.length && { composite: d.composite }),
    // After a Find, the render removes exactly what the preview shows picked (LGVI: bounded by them).
    ...(!matte && d.find && { tracks: d.chosen }),
    ...(d.runOn === 'farm' && { runOn: 'farm' as const }),
  };
}

/** Whether the draft says what to remove: words, or a matte file named. */
export function saysWhat(d: RemovalDraft): boolean {
  return d.target === 'matte' ? d.mattePath.trim().length > 0 : d.expression.trim().length > 0;
}

/** Asks the engine what the draft would do (removal.plan); a stale answer (the draft changed meanwhile) is dropped. */
export async function refreshPlan(client: LacunaClient): Promise<void> {
  const d = useAppStore.getState().removal;
  if (!d) return;
  const asked = planRequest(d);
  try {
    const plan = await client.call('removal.plan', asked);
    const now = useAppStore.getState().removal;
    if (now && JSON.stringify(planRequest(now)) === JSON.stringify(asked)) patch({ plan });
  } catch (e) {
    patch({ plan: null, error: errorOf(e) });
  }
}

export function togglePick(id: number): void {
  const d = useAppStore.getState().removal;
  if (!d?.find) return;
  patch({ chosen: d.chosen.includes(id) ? d.chosen.filter((x) => x !== id) : [...d.chosen, id] });
}

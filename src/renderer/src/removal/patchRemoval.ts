import { useAppStore, type RemovalDraft } from '../store/appStore';

/** Changes the open Remove panel's draft (nothing when it is closed). */
export function patchRemoval(p: Partial<RemovalDraft>): void {
  useAppStore.setState((s) => (s.removal ? { removal: { ...s.removal, ...p } } : {}));
}

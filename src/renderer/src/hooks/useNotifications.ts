import { useCallback, useState } from 'react';
import { isApiError } from '../../../api/errors';

export interface Note {
  id: number;
  kind: 'error' | 'warning' | 'info';
  text: string;
  hint?: string;
}

let nextId = 1;

/**
 * Messages shown in the corner. Errors from the API keep their hint (what to do about it); a
 * cancelled action is not news and is dropped.
 */
export function useNotifications() {
  const [notes, setNotes] = useState<Note[]>([]);
  const dismiss = useCallback((id: number) => setNotes((n) => n.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (note: Omit<Note, 'id'>) => {
      const id = nextId++;
      setNotes((n) => [...n.slice(-4), { ...note, id }]);
      if (note.kind === 'info') setTimeout(() => dismiss(id), 4000);
    },
    [dismiss],
  );
  const reportError = useCallback(
    (e: unknown) => {
      if (isApiError(e, 'CANCELLED')) return;
      if (isApiError(e)) push({ kind: 'error', text: e.message, hint: e.hint });
      else push({ kind: 'error', text: e instanceof Error ? e.message : String(e) });
    },
    [push],
  );
  const info = useCallback((text: string) => push({ kind: 'info', text }), [push]);
  /** Something done that the user should know of (media changed or assumed on import): stays until dismissed. */
  const warn = useCallback((text: string, hint?: string) => push({ kind: 'warning', text, ...(hint && { hint }) }), [push]);
  return { notes, dismiss, reportError, info, warn };
}

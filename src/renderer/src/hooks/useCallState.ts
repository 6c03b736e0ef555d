import { useCallback, useState } from 'react';
import { errorOf } from '../errorText';

export type ShownError = { message: string; hint?: string; code?: string };

/**
 * A dialog's one call at a time: whether it is running, the error it ended with (as the user reads
 * it, or reworded by `explain`), and its result once it succeeded.
 */
export function useCallState<T>(explain: (e: ShownError) => ShownError = (e) => e) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const run = useCallback(
    async (call: () => Promise<T>) => {
      setBusy(true);
      setError(null);
      try {
        setResult(await call());
      } catch (e) {
        setError(explain(errorOf(e)));
      } finally {
        setBusy(false);
      }
    },
    [explain],
  );
  /** For a side call (the host's file picker): its error shows, its value goes to `use`. */
  const side = useCallback(async <U,>(call: () => Promise<U>, use: (value: U) => void) => {
    try {
      use(await call());
    } catch (e) {
      setError(errorOf(e));
    }
  }, []);
  return { busy, error, setError, result, run, side };
}

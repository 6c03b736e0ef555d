import { useEffect, useState } from 'react';
import type { CallInput, CallName, CallOutput } from '../../../api/contract';
import { useClient } from '../clientContext';

/** Calls that accept an empty input. */
type InputlessCall = { [N in CallName]: Record<string, never> extends CallInput<N> ? N : never }[CallName];

/** Calls an input-less channel once (app.info, ffmpeg.status, jobs.kinds): data that does not change while running. */
export function useOnce<N extends InputlessCall>(name: N, onError: (e: unknown) => void): CallOutput<N> | null {
  const client = useClient();
  const [value, setValue] = useState<CallOutput<N> | null>(null);
  useEffect(() => {
    let live = true;
    client.call(name, {} as CallInput<N>).then(
      (v) => live && setValue(v),
      (e) => live && onError(e),
    );
    return () => {
      live = false;
    };
  }, [client, name, onError]);
  return value;
}

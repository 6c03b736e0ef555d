import { useCallback, useState, type ReactNode } from 'react';

/**
 * Promise-based modal dialogs: `ask(done => <SomeDialog onDone={done} />)` shows the dialog and
 * resolves with what it passes to `done`. Lets command flows read top to bottom
 * ("confirm, then pick a path, then save") instead of scattering state across components.
 */
export function useDialogHost() {
  const [current, setCurrent] = useState<ReactNode>(null);
  const ask = useCallback(
    <T,>(render: (done: (value: T) => void) => ReactNode): Promise<T> =>
      new Promise<T>((resolve) => {
        const done = (value: T) => {
          setCurrent(null);
          resolve(value);
        };
        setCurrent(render(done));
      }),
    [],
  );
  return { dialog: current, ask };
}

export type Ask = ReturnType<typeof useDialogHost>['ask'];

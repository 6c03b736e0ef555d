import type { ReactNode } from 'react';

/** A typed path with the host's file dialog beside it where the host has one (Electron); in the browser the path is only typed. */
export function PathRow({ children, onChoose }: { children: ReactNode; onChoose: (() => void) | null }) {
  return (
    <div className="path-row">
      {children}
      {onChoose && (
        <button type="button" onClick={onChoose}>
          Choose…
        </button>
      )}
    </div>
  );
}

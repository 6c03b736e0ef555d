import type { ReactNode } from 'react';

/*
 * The Remove panel's settings as an inspector lays them out (Resolve's, Premiere's Effect
 * Controls): one row per setting, its name in a left column of one width and the control in the
 * right, so labels line up and no label's wrapping pushes a control out of line. The rows go in
 * a `.form-grid` (removal.css).
 */

/** A named control: the label wraps the control, so clicking the name focuses it. */
export function FieldRow({ label, title, children }: { label: string; title?: string; children: ReactNode }) {
  return (
    <label className="form-row" title={title}>
      <span className="row-label">{label}</span>
      <span className="row-control">{children}</span>
    </label>
  );
}

/** A named group of radio buttons (wrapping within the right column). */
export function ChoiceRow({ label, aria, children }: { label: string; aria: string; children: ReactNode }) {
  return (
    <>
      <span className="row-label top">{label}</span>
      <div className="row-control choices" role="radiogroup" aria-label={aria}>
        {children}
      </div>
    </>
  );
}

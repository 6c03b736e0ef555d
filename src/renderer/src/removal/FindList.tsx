import type { RemovalDraft } from '../store/appStore';
import { objectColour, objectName } from './objectNames';
import { picksChanged, togglePick } from './removalRequests';

/** The Find preview's explanation and objects, each with a checkbox (the viewer's clicks do the same). */
export function FindList({ d }: { d: RemovalDraft }) {
  const find = d.find;
  if (!find) return null;
  return (
    <div className="find-result" data-testid="find-result">
      <p className={find.matched ? '' : 'warn-text'} data-testid="find-explanation">
        {find.explanation}
      </p>
      <ul className="found-list" aria-label="Objects found">
        {find.objects.map((o) => {
          const picked = d.chosen.includes(o.id);
          return (
            <li key={o.id}>
              <label className={picked ? 'picked' : ''}>
                <input type="checkbox" checked={picked} onChange={() => togglePick(o.id)} aria-label={objectName(find, o)} />
                <span className="swatch" style={{ background: picked ? objectColour(o.id) : '#555' }} />
                {objectName(find, o)} <span className="muted">· seen in {o.boxes.filter(Boolean).length} of {o.boxes.length} frames</span>
              </label>
            </li>
          );
        })}
      </ul>
      <p className="muted small-print">
        Click an object in the program viewer to add it or take it out.{picksChanged(d) && ' Your picks replace what the words chose.'}
      </p>
    </div>
  );
}

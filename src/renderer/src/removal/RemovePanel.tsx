import { useEffect } from 'react';
import { useClient } from '../clientContext';
import { farmChoice } from '../jobs/farmJobs';
import { refreshFarmStatus } from '../jobs/farmSync';
import { useAppStore, type RemovalDraft } from '../store/appStore';
import { findClip } from '../store/selectors';
import { objectColour, objectName } from './objectNames';
import { picksChanged, runFind, runRender, togglePick } from './removalRequests';
import { ErrorNotice } from '../shell/ErrorNotice';

const set = (p: Partial<RemovalDraft>) => useAppStore.setState((s) => (s.removal ? { removal: { ...s.removal, ...p } } : {}));

/**
 * "Remove by description…" as a panel beside the viewer, so the Find preview can be judged on
 * the picture: the words, the engine and its settings, then Find (what would be removed, drawn
 * over the program viewer on every frame, the other objects greyed; click one to add or drop
 * it) and Render, which removes exactly the picked objects as a new take of the clip.
 */
export function RemovePanel() {
  const client = useClient();
  const d = useAppStore((s) => s.removal);
  const kinds = useAppStore((s) => s.kinds);
  const clip = useAppStore((s) => findClip(s, s.removal?.clipId)?.clip ?? null);
  const farmStatus = useAppStore((s) => s.farm.status);
  const projectPath = useAppStore((s) => s.project?.path ?? null);
  // Ask the farm as the panel opens: "Run on: farm" must say now whether it can be chosen.
  useEffect(() => void refreshFarmStatus(client), [client]);
  if (!d) return null;
  const farm = farmChoice(farmStatus, { path: projectPath });
  const runOn = farm.available ? d.runOn : 'local';
  const removal = kinds.filter((k) => k.category === 'removal');
  const engine = d.engine ?? removal[0]?.kind ?? '';
  const kind = removal.find((k) => k.kind === engine);
  const take = clip?.takes.find((t) => t.id === clip.activeTakeId);
  const busy = d.busy !== null;
  const canGo = !!kind && d.expression.trim().length > 0 && !busy;
  const queuing = runOn === 'farm' ? 'Sending to the farm…' : 'Queuing…';
  const num = (v: string, min: number, max: number) => Math.max(min, Math.min(max, Math.round(Number(v) || 0)));
  return (
    <section className="panel remove-panel" role="dialog" aria-label="Remove by description" data-testid="remove-panel">
      <header className="panel-header">
        <h2>Remove by description</h2>
        <button className="small" aria-label="Close" onClick={() => useAppStore.setState({ removal: null })}>
          ×
        </button>
      </header>
      <div className="panel-body">
        <div className="muted clip-line">{clip ? `${clip.name} · starts from the active take: ${take?.label ?? '—'} · clip range (${clip.duration} frames)` : 'The clip is gone.'}</div>
        <label className="field">
          <span>What should disappear from every frame?</span>
          <textarea
            rows={2}
            value={d.expression}
            maxLength={500}
            placeholder="remove the bird on the left"
            onChange={(e) => set({ expression: e.target.value, find: null, chosen: [] })}
            onKeyDown={(e) => e.key === 'Enter' && !e.shiftKey && (e.preventDefault(), void runFind(client))}
          />
        </label>
        {removal.length > 0 && (
          <div className="run-on" role="radiogroup" aria-label="Run on">
            <span>Run on</span>
            <label className="check">
              <input type="radio" name="run-on" checked={runOn === 'local'} onChange={() => set({ runOn: 'local' })} />
              this machine
            </label>
            <label className="check" title={[farm.reason, farm.note].filter(Boolean).join(' ')}>
              <input type="radio" name="run-on" aria-label="farm" checked={runOn === 'farm'} disabled={!farm.available} onChange={() => set({ runOn: 'farm' })} />
              farm
            </label>
            {(farm.reason || (runOn === 'farm' && farm.note)) && (
              <span className={`run-on-reason ${farm.reason ? 'muted' : ''}`} data-testid="run-on-reason">
                {farm.reason ?? farm.note}
              </span>
            )}
          </div>
        )}
        {removal.length === 0 ? (
          <div className="notice warn" role="status" data-testid="no-removal-engine">
            <strong>No removal engine is installed.</strong>
            <p>Object removal needs the Lite engine (it ships with Lacuna) or an LGVI model pack.</p>
          </div>
        ) : (
          <>
            <div className="field-row three">
              <label className="field">
                <span>Engine</span>
                <select aria-label="Engine" value={engine} onChange={(e) => set({ engine: e.target.value, find: null, chosen: [] })}>
                  {removal.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Grow (px)</span>
                <input aria-label="Mask grow" inputMode="numeric" value={d.maskDilate} onChange={(e) => set({ maskDilate: num(e.target.value, 0, 256) })} />
              </label>
              <label className="field">
                <span>Feather (px)</span>
                <input aria-label="Mask feather" inputMode="numeric" value={d.maskFeather} onChange={(e) => set({ maskFeather: num(e.target.value, 0, 256) })} />
              </label>
            </div>
            <div className="field-row">
              {engine === 'lite' && (
                <label className="field">
                  <span>Working size (px)</span>
                  <input aria-label="Working size" inputMode="numeric" value={d.workingSide} onChange={(e) => set({ workingSide: num(e.target.value, 128, 4096) })} />
                </label>
              )}
              <label className="field">
                <span>Seed</span>
                <input aria-label="Seed" inputMode="numeric" value={d.seed} onChange={(e) => set({ seed: num(e.target.value, 0, 2 ** 31) })} />
              </label>
            </div>
            <p className="muted small-print" data-testid="removal-engine">
              {kind?.label}: {kind?.description}
            </p>
          </>
        )}
        {d.find && (
          <div className="find-result" data-testid="find-result">
            <p className={d.find.matched ? '' : 'warn-text'} data-testid="find-explanation">
              {d.find.explanation}
            </p>
            <ul className="found-list" aria-label="Objects found">
              {d.find.objects.map((o) => {
                const picked = d.chosen.includes(o.id);
                return (
                  <li key={o.id}>
                    <label className={picked ? 'picked' : ''}>
                      <input type="checkbox" checked={picked} onChange={() => togglePick(o.id)} aria-label={objectName(d.find!, o)} />
                      <span className="swatch" style={{ background: picked ? objectColour(o.id) : '#555' }} />
                      {objectName(d.find!, o)} <span className="muted">· seen in {o.boxes.filter(Boolean).length} of {o.boxes.length} frames</span>
                    </label>
                  </li>
                );
              })}
            </ul>
            <p className="muted small-print">
              Click an object in the program viewer to add it or take it out.{picksChanged(d) && ' Your picks replace what the words chose.'}
            </p>
          </div>
        )}
        <ErrorNotice error={d.error} testId="remove-error" />
      </div>
      <footer className="panel-footer">
        <button disabled={!canGo} onClick={() => void runFind(client)} title="Show what would be removed, without rendering (Enter)">
          {d.busy === 'finding' ? 'Finding…' : 'Find'}
        </button>
        <span className="spacer" />
        <button onClick={() => useAppStore.setState({ removal: null })}>Cancel</button>
        <button className="primary" disabled={!canGo} onClick={() => void runRender(client, runOn)}>
          {d.busy === 'submitting' ? queuing : d.find ? `Remove ${d.chosen.length} object${d.chosen.length === 1 ? '' : 's'}` : 'Remove'}
        </button>
      </footer>
    </section>
  );
}

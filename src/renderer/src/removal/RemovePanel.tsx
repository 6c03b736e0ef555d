import { useEffect } from 'react';
import './removal.css';
import { useClient } from '../clientContext';
import { farmChoice } from '../jobs/farmJobs';
import { refreshFarmStatus } from '../jobs/farmSync';
import { useAppStore } from '../store/appStore';
import { findClip } from '../store/selectors';
import { ErrorNotice } from '../shell/ErrorNotice';
import { EngineSettings } from './EngineSettings';
import { FindList } from './FindList';
import { FieldRow } from './FormRows';
import { MaskFields } from './MaskFields';
import { patchRemoval } from './patchRemoval';
import { RemoveFrames } from './RemoveFrames';
import { RemoveWhat } from './RemoveWhat';
import { planRequest, refreshPlan, runFind, runRender, saysWhat } from './removalRequests';
import { RunOnChoice } from './RunOnChoice';

/** How long the panel waits after a change before asking the engine again (typing a number). */
const PLAN_DEBOUNCE_MS = 150;

/**
 * "Remove by description…" as a panel beside the viewer, so the Find preview can be judged on
 * the picture: what to remove (words or a matte), which frames and from which take, the engine
 * and its own settings as the engine states them (removal.plan), then Find (what would be
 * removed, drawn over the program viewer on every frame; click to add or drop) and Render.
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
  // The engine's answer follows every change of what it is asked (and the clip's takes).
  const asked = d ? JSON.stringify(planRequest(d)) : null;
  const takes = clip ? `${clip.activeTakeId}:${clip.takes.length}:${clip.sourceIn}:${clip.sourceOut}` : '';
  useEffect(() => {
    if (!asked) return;
    const t = setTimeout(() => void refreshPlan(client), PLAN_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [client, asked, takes]);
  if (!d) return null;
  const farm = farmChoice(farmStatus, { path: projectPath });
  const runOn = farm.available ? d.runOn : 'local';
  const removal = kinds.filter((k) => k.category === 'removal');
  const engine = d.engine ?? removal[0]?.kind ?? '';
  const kind = removal.find((k) => k.kind === engine);
  const busy = d.busy !== null;
  const canGo = !!kind && saysWhat(d) && !busy && !d.plan?.problem;
  const findReason = d.target === 'matte' ? (d.plan?.find.note ?? 'A matte says exactly what to remove.') : null;
  const queuing = runOn === 'farm' ? 'Sending to the farm…' : 'Queuing…';
  return (
    <section className="panel remove-panel" role="dialog" aria-label="Remove by description" data-testid="remove-panel">
      <header className="panel-header">
        <h2>Remove by description</h2>
        <button className="small" aria-label="Close" onClick={() => useAppStore.setState({ removal: null })}>
          ×
        </button>
      </header>
      <div className="panel-body">
        <div className="muted clip-line">{clip ? clip.name : 'The clip is gone.'}</div>
        <RemoveWhat d={d} />
        {/* The Find preview under the words it previews. */}
        <FindList d={d} />
        <RemoveFrames d={d} />
        {removal.length > 0 && <RunOnChoice runOn={runOn} farm={farm} />}
        {removal.length === 0 ? (
          <div className="notice warn" role="status" data-testid="no-removal-engine">
            <strong>No removal engine is installed.</strong>
            <p>Object removal needs the Lite engine (it ships with Lacuna) or an LGVI model pack.</p>
          </div>
        ) : (
          <>
            <div className="form-grid">
              <FieldRow label="Engine">
                <select aria-label="Engine" value={engine} onChange={(e) => patchRemoval({ engine: e.target.value, pack: null, engineSettings: {}, find: null, chosen: [] })}>
                  {removal.map((k) => (
                    <option key={k.kind} value={k.kind}>
                      {k.label}
                    </option>
                  ))}
                </select>
              </FieldRow>
            </div>
            <p className="muted small-print" data-testid="removal-engine">
              {kind?.label}: {kind?.description}
            </p>
            <MaskFields d={d} />
            <EngineSettings d={d} />
            {d.target === 'words' && d.plan && (
              <p className="muted small-print" data-testid="find-note">
                {d.plan.find.note}
              </p>
            )}
          </>
        )}
        <ErrorNotice error={d.error} testId="remove-error" />
      </div>
      <footer className="panel-footer">
        <button disabled={!canGo || !!findReason} onClick={() => void runFind(client)} title={findReason ?? 'Show what would be removed, without rendering (Enter)'}>
          {d.busy === 'finding' ? 'Finding…' : 'Find'}
        </button>
        {findReason && (
          <span className="muted small-print" data-testid="find-disabled-reason">
            {findReason}
          </span>
        )}
        <span className="spacer" />
        <button onClick={() => useAppStore.setState({ removal: null })}>Cancel</button>
        <button className="primary" disabled={!canGo} onClick={() => void runRender(client, runOn)}>
          {d.busy === 'submitting' ? queuing : d.target === 'words' && d.find ? `Remove ${d.chosen.length} object${d.chosen.length === 1 ? '' : 's'}` : 'Remove'}
        </button>
      </footer>
    </section>
  );
}

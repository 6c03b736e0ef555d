import type { EngineFieldDto } from '../../../api/schemas/removalPlan';
import { useAppStore, type RemovalDraft } from '../store/appStore';
import { FieldRow } from './FormRows';
import { patchRemoval } from './patchRemoval';

/** One engine setting: a number box or a choice, named as the engine names it; the engine checks it. */
function EngineField({ f, value }: { f: EngineFieldDto; value: number | string | boolean }) {
  const aria = f.label.replace(/ \(.*\)$/, '');
  const change = (v: number | string) => {
    const d = useAppStore.getState().removal;
    if (d) patchRemoval({ engineSettings: { ...d.engineSettings, [f.key]: v } });
  };
  return (
    <FieldRow label={f.label} {...(f.help && { title: f.help })}>
      {f.kind === 'choice' ? (
        <select aria-label={aria} value={String(value)} onChange={(e) => change(e.target.value)}>
          {f.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          aria-label={aria}
          inputMode="decimal"
          value={String(value)}
          disabled={f.fixed}
          // Sent as typed: a number the engine refuses comes back as its sentence.
          onChange={(e) => change(e.target.value.trim() !== '' && Number.isFinite(Number(e.target.value)) ? Number(e.target.value) : e.target.value)}
        />
      )}
    </FieldRow>
  );
}

/**
 * The engine's own settings as the engine describes them (removal.plan): its fields with the
 * values it would use, the pack when several are installed, LGVI's composite masks with what each
 * does, the device memory one window needs and what the job's memory plan will do on this
 * machine's device; a refused setting is shown as the engine says it.
 */
export function EngineSettings({ d }: { d: RemovalDraft }) {
  const plan = d.plan;
  if (!plan) return null;
  const composite = plan.composites.find((c) => c.value === d.composite) ?? plan.composites[0];
  return (
    <div className="engine-settings" data-testid="engine-settings">
      <div className="form-grid">
        {plan.packs.length > 1 && (
          <FieldRow label="Model pack">
            <select aria-label="Model pack" value={plan.pack ?? ''} onChange={(e) => patchRemoval({ pack: e.target.value, find: null, chosen: [] })}>
              {plan.packs.map((p) => (
                <option key={p.dir} value={p.dir} title={p.dir}>
                  {p.label}
                </option>
              ))}
            </select>
          </FieldRow>
        )}
        {plan.fields.map((f) => (
          <EngineField key={`${plan.engine}-${f.key}`} f={f} value={d.engineSettings[f.key] ?? f.value} />
        ))}
        {composite && (
          <>
            <FieldRow label="Composite">
              <select aria-label="Composite" value={composite.value} onChange={(e) => patchRemoval({ composite: e.target.value as RemovalDraft['composite'] })}>
                {plan.composites.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </select>
            </FieldRow>
            <p className="muted small-print full" data-testid="composite-explanation">
              {composite.explanation}
            </p>
          </>
        )}
      </div>
      {plan.memory.length > 0 && (
        <div className="small-print memory" data-testid="memory-estimate">
          <div className="section-title">Memory per window</div>
          <ul className="plain-list">
            {plan.memory.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          {plan.memoryPlan && (
            <p className={plan.memoryPlan.fits ? 'muted' : 'warn-text'} data-testid="memory-plan">
              {plan.memoryPlan.decision}
            </p>
          )}
        </div>
      )}
      {plan.problem && (
        <div className="notice warn" role="alert" data-testid="engine-problem">
          {plan.problem}
        </div>
      )}
    </div>
  );
}

import type { farmChoice } from '../jobs/farmJobs';

type FarmChoice = ReturnType<typeof farmChoice>;
import type { RemovalDraft } from '../store/appStore';
import { ChoiceRow } from './FormRows';
import { patchRemoval } from './patchRemoval';

/** Run on this machine or the farm (disabled with the reason when no farm can take it). */
export function RunOnChoice({ runOn, farm }: { runOn: RemovalDraft['runOn']; farm: FarmChoice }) {
  return (
    <div className="form-grid">
      <ChoiceRow label="Run on" aria="Run on">
        <label className="check">
          <input type="radio" name="run-on" checked={runOn === 'local'} onChange={() => patchRemoval({ runOn: 'local' })} />
          this machine
        </label>
        <label className="check" title={[farm.reason, farm.note].filter(Boolean).join(' ')}>
          <input type="radio" name="run-on" aria-label="farm" checked={runOn === 'farm'} disabled={!farm.available} onChange={() => patchRemoval({ runOn: 'farm' })} />
          farm
        </label>
      </ChoiceRow>
      {(farm.reason || (runOn === 'farm' && farm.note)) && (
        <span className={`run-on-reason full small-print ${farm.reason ? 'muted' : ''}`} data-testid="run-on-reason">
          {farm.reason ?? farm.note}
        </span>
      )}
    </div>
  );
}

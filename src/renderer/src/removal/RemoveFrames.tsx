import type { RemovalPlanDto } from '../../../api/schemas/removalPlan';
import type { RemovalDraft } from '../store/appStore';
import { framesToTimecode } from '../timeline/timecode';
import { ChoiceRow } from './FormRows';
import { patchRemoval } from './patchRemoval';

/** "00:00:01:02–00:00:01:19 · 18 frames" for the engine's resolved range (the Out is the last frame rendered). */
export function framesLine(range: RemovalPlanDto['range']): string {
  const last = Math.max(range.start, range.end - 1);
  return `${framesToTimecode(range.start, range.fps)}–${framesToTimecode(last, range.fps)} · ${range.frames} frame${range.frames === 1 ? '' : 's'}`;
}

/**
 * Which frames render and which take they are read from, and the engine's own statement of both
 * (removal.plan), so the editor sees the exact frames before queuing.
 */
export function RemoveFrames({ d }: { d: RemovalDraft }) {
  const plan = d.plan;
  const radio = (name: string, label: string, checked: boolean, onChange: () => void, disabled = false, title?: string) => (
    <label className="check" title={title}>
      <input type="radio" name={name} checked={checked} disabled={disabled} onChange={onChange} />
      {label}
    </label>
  );
  const marks = d.marks ? `In/Out ${d.marks.start}–${d.marks.end - 1}` : 'marked In/Out';
  return (
    <div className="remove-frames">
      <div className="form-grid">
        <ChoiceRow label="Range" aria="Range">
          {radio('range', 'clip in/out', d.range === 'clip', () => patchRemoval({ range: 'clip', find: null, chosen: [] }))}
          {radio('range', marks, d.range === 'marked', () => patchRemoval({ range: 'marked', find: null, chosen: [] }), !d.marks, d.marks ? undefined : 'Mark In and Out on this clip’s media in the source viewer (I, O) first.')}
          {radio('range', 'whole source', d.range === 'source', () => patchRemoval({ range: 'source', find: null, chosen: [] }))}
        </ChoiceRow>
        <ChoiceRow label="Start from" aria="Start from">
          {radio('start-from', 'active take', d.startFrom === 'active', () => patchRemoval({ startFrom: 'active', find: null, chosen: [] }))}
          {radio('start-from', 'original', d.startFrom === 'original', () => patchRemoval({ startFrom: 'original', find: null, chosen: [] }))}
        </ChoiceRow>
      </div>
      <p className="muted small-print" data-testid="remove-frames">
        {plan ? `Renders ${framesLine(plan.range)} from ${plan.startsFrom.kind === 'original' ? 'the original' : 'the active take'}: ${plan.startsFrom.label}` : 'Working out the frames…'}
      </p>
      {plan?.rangeNote && (
        <p className="warn-text small-print" data-testid="range-note">
          {plan.rangeNote}
        </p>
      )}
    </div>
  );
}

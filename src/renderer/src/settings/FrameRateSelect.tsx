import type { RationalDto } from '../../../api/schemas/media';
import { FRAME_RATES } from './SequenceSettingsDialog';

const key = (r: RationalDto) => `${r.num}/${r.den}`;

/** A choice of the delivery rates (exact rationals), for whatever carries no rate of its own: image sequences, EDLs. */
export function FrameRateSelect({ label, value, onChange, disabled }: { label: string; value: RationalDto; onChange: (fps: RationalDto) => void; disabled?: boolean }) {
  return (
    <select aria-label={label} value={key(value)} disabled={disabled} onChange={(e) => onChange(FRAME_RATES.find((r) => key(r.fps) === e.target.value)?.fps ?? value)}>
      {FRAME_RATES.map((r) => (
        <option key={r.label} value={key(r.fps)}>
          {r.label} fps
        </option>
      ))}
    </select>
  );
}

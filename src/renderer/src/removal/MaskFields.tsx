import type { RemovalDraft } from '../store/appStore';
import { FieldRow } from './FormRows';
import { patchRemoval } from './patchRemoval';

const whole = (v: string, min: number, max: number) => Math.max(min, Math.min(max, Math.round(Number(v) || 0)));

/** Settings every engine honours: grow and feather of the removal mask, and the seed. */
export function MaskFields({ d }: { d: RemovalDraft }) {
  return (
    <div className="form-grid">
      <FieldRow label="Mask grow (px)" title="Pixels added around the mask, so the fill covers the object's soft edge.">
        <input aria-label="Mask grow" inputMode="numeric" value={d.maskDilate} onChange={(e) => patchRemoval({ maskDilate: whole(e.target.value, 0, 256) })} />
      </FieldRow>
      <FieldRow label="Feather (px)" title="Width of the soft edge where the fill blends into the picture.">
        <input aria-label="Mask feather" inputMode="numeric" value={d.maskFeather} onChange={(e) => patchRemoval({ maskFeather: whole(e.target.value, 0, 256) })} />
      </FieldRow>
      <FieldRow label="Seed" title="The same seed and settings give the same result.">
        <input aria-label="Seed" inputMode="numeric" value={d.seed} onChange={(e) => patchRemoval({ seed: whole(e.target.value, 0, 2 ** 31) })} />
      </FieldRow>
    </div>
  );
}

import { useState } from 'react';
import type { JobKindDto } from '../../../api/schemas/jobs';
import type { ClipDto } from '../../../api/schemas/project';
import { Modal } from './Modal';

interface RemoveDialogProps {
  clip: ClipDto;
  /** Job kinds this install offers (jobs.kinds); only removal ones are usable here. */
  kinds: JobKindDto[];
  onSubmit: (expression: string) => Promise<boolean>;
  onClose: () => void;
}

/**
 * "Remove by description…": the user says what to remove in words. The request is only
 * sendable when the engine reports a removal job kind; otherwise the dialog says plainly that
 * none is installed rather than pretending.
 */
export function RemoveDialog({ clip, kinds, onSubmit, onClose }: RemoveDialogProps) {
  const [expression, setExpression] = useState('');
  const [busy, setBusy] = useState(false);
  const removal = kinds.filter((k) => k.category === 'removal');
  const available = removal.length > 0;
  const canSubmit = available && expression.trim().length > 0 && !busy;
  const submit = async () => {
    if (!canSubmit) return;
    setBusy(true);
    const ok = await onSubmit(expression.trim());
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Modal
      title={`Remove by description — ${clip.name}`}
      label="Remove by description"
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={!canSubmit} onClick={() => void submit()}>
            Remove
          </button>
        </>
      }
    >
      <label className="field">
        <span>What should disappear from every frame?</span>
        <textarea
          rows={3}
          value={expression}
          maxLength={500}
          placeholder="remove the man on the left"
          onChange={(e) => setExpression(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && (e.metaKey || e.ctrlKey) && void submit()}
        />
      </label>
      {available ? (
        <p className="muted">
          Uses {removal.map((k) => k.label).join(', ')}. The result is added as a new take of this clip; the original is kept.
        </p>
      ) : (
        <div className="notice warn" role="status" data-testid="no-removal-engine">
          <strong>No removal engine is installed.</strong>
          <p>
            This install can run: {kinds.length ? kinds.map((k) => k.label).join(', ') : 'no jobs'}. Object removal needs a
            removal model pack; once one is installed it appears here and this request can be sent.
          </p>
        </div>
      )}
    </Modal>
  );
}

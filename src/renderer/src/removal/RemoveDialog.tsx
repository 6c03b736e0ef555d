import { useState } from 'react';
import type { ClipDto } from '../../../api/schemas/project';
import { useClient } from '../clientContext';
import { Modal } from '../shell/Modal';
import { useAppStore } from '../store/appStore';

interface RemoveDialogProps {
  clip: ClipDto;
  onClose: () => void;
}

/**
 * "Remove by description…": the user says what to remove in words. The request is only
 * sendable when the engine reports a removal job kind; otherwise the dialog says plainly that
 * none is installed rather than pretending.
 */
export function RemoveDialog({ clip, onClose }: RemoveDialogProps) {
  const client = useClient();
  // Job kinds this install offers (jobs.kinds); only removal ones are usable here.
  const kinds = useAppStore((s) => s.kinds);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (expression: string, engine: string): Promise<boolean> => {
    try {
      await client.call('jobs.submit', { kind: 'remove', clipId: clip.id, expression, engine });
      return true;
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      return false;
    }
  };
  const [expression, setExpression] = useState('');
  const [busy, setBusy] = useState(false);
  const removal = kinds.filter((k) => k.category === 'removal');
  const available = removal.length > 0;
  // The engine list comes preferred first (LGVI when a pack is installed, then Lite).
  const [engine, setEngine] = useState<string | null>(null);
  const chosen = engine ?? removal[0]?.kind ?? '';
  const canSubmit = available && expression.trim().length > 0 && !busy;
  const submit = async () => {
    if (!canSubmit) return;
    setBusy(true);
    const ok = await onSubmit(expression.trim(), chosen);
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
      {error && (
        <div className="notice warn" role="alert">
          {error}
        </div>
      )}
      {available ? (
        <>
          {removal.length > 1 && (
            <label className="field">
              <span>Engine</span>
              <select value={chosen} onChange={(e) => setEngine(e.target.value)}>
                {removal.map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {k.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          <p className="muted" data-testid="removal-engine">
            {removal.find((k) => k.kind === chosen)?.label}: {removal.find((k) => k.kind === chosen)?.description} The result is added as a new
            take of this clip; the original is kept.
          </p>
        </>
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

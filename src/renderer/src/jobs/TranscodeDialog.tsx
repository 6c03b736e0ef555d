import { useState } from 'react';
import type { DeliveryCodecDto } from '../../../api/schemas/jobs';
import type { ClipDto } from '../../../api/schemas/project';
import { Modal } from '../shell/Modal';

const CODECS: { value: DeliveryCodecDto; label: string }[] = [
  { value: 'prores_hq', label: 'ProRes 422 HQ (.mov)' },
  { value: 'dnxhr_hq', label: 'DNxHR HQ (.mxf/.mov)' },
  { value: 'h264', label: 'H.264 (.mp4)' },
  { value: 'hevc', label: 'HEVC (.mp4)' },
];

/** Queues a transcode of the clip's active take; the output comes back as a new take. */
export function TranscodeDialog({
  clip,
  onSubmit,
  onClose,
}: {
  clip: ClipDto;
  onSubmit: (codec: DeliveryCodecDto) => Promise<boolean>;
  onClose: () => void;
}) {
  const [codec, setCodec] = useState<DeliveryCodecDto>('h264');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const ok = await onSubmit(codec);
    setBusy(false);
    if (ok) onClose();
  };
  return (
    <Modal
      title={`Transcode — ${clip.name}`}
      label="Transcode"
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={busy} onClick={() => void submit()}>
            Queue transcode
          </button>
        </>
      }
    >
      <label className="field">
        <span>Codec</span>
        <select value={codec} onChange={(e) => setCodec(e.target.value as DeliveryCodecDto)} aria-label="Codec">
          {CODECS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">Transcodes the clip’s active take. The result is added as a new take; nothing is overwritten.</p>
    </Modal>
  );
}

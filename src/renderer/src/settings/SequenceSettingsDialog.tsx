import { useState } from 'react';
import type { RationalDto } from '../../../api/schemas/media';
import type { SequenceDto } from '../../../api/schemas/project';
import { useClient } from '../clientContext';
import { Modal } from '../shell/Modal';
import { parseTimecodeFrames } from '../timeline/timecode';

/** The rates editors deliver at, exact. */
export const FRAME_RATES: { label: string; fps: RationalDto }[] = [
  { label: '23.976', fps: { num: 24000, den: 1001 } },
  { label: '24', fps: { num: 24, den: 1 } },
  { label: '25', fps: { num: 25, den: 1 } },
  { label: '29.97', fps: { num: 30000, den: 1001 } },
  { label: '30', fps: { num: 30, den: 1 } },
  { label: '50', fps: { num: 50, den: 1 } },
  { label: '59.94', fps: { num: 60000, den: 1001 } },
  { label: '60', fps: { num: 60, den: 1 } },
];

const key = (r: RationalDto) => `${r.num}/${r.den}`;

/**
 * Frame rate, frame size and start timecode of a sequence. The rate is fixed once clips are on
 * it (the engine refuses, as Resolve does); `suggest` fills the fields from a clip (the prompt
 * shown when the first clip of another format goes on an empty sequence).
 */
export function SequenceSettingsDialog({ sequence, onClose, suggest }: { sequence: SequenceDto; onClose: () => void; suggest?: { fps: RationalDto; width: number; height: number; from: string } }) {
  const client = useClient();
  const hasClips = sequence.tracks.some((t) => t.clips.length > 0);
  const [fps, setFps] = useState(key(suggest?.fps ?? sequence.fps));
  const [width, setWidth] = useState(String(suggest?.width ?? sequence.width));
  const [height, setHeight] = useState(String(suggest?.height ?? sequence.height));
  const [tc, setTc] = useState(sequence.startTimecode);
  const [error, setError] = useState<string | null>(null);
  const rates = FRAME_RATES.some((r) => key(r.fps) === fps) ? FRAME_RATES : [...FRAME_RATES, { label: fps, fps: { num: Number(fps.split('/')[0]), den: Number(fps.split('/')[1]) } }];
  const chosen = rates.find((r) => key(r.fps) === fps)!.fps;
  const tcOk = parseTimecodeFrames(tc, chosen) !== null;
  const w = Number(width);
  const h = Number(height);
  const sizeOk = Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0;
  const apply = async () => {
    try {
      await client.call('sequence.setFormat', { sequenceId: sequence.id, fps: hasClips ? undefined : chosen, width: w, height: h, startTimecode: tc.trim() });
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <Modal
      title={`Sequence settings — ${sequence.name}`}
      label="Sequence settings"
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>{suggest ? 'Keep sequence settings' : 'Cancel'}</button>
          <button className="primary" disabled={!tcOk || !sizeOk} onClick={() => void apply()}>
            {suggest ? 'Use clip settings' : 'Apply'}
          </button>
        </>
      }
    >
      {suggest && (
        <p>
          <strong>{suggest.from}</strong> is {suggest.width}×{suggest.height} at {FRAME_RATES.find((r) => key(r.fps) === key(suggest.fps))?.label ?? key(suggest.fps)} fps. Set the
          sequence to match it? Otherwise it is conformed to the sequence's rate (frames repeated or dropped).
        </p>
      )}
      <label className="field">
        <span>Frame rate{hasClips && ' (fixed: the sequence has clips)'}</span>
        <select aria-label="Frame rate" value={fps} disabled={hasClips} onChange={(e) => setFps(e.target.value)}>
          {rates.map((r) => (
            <option key={key(r.fps)} value={key(r.fps)}>
              {r.label} fps
            </option>
          ))}
        </select>
      </label>
      <div className="field-row">
        <label className="field">
          <span>Width</span>
          <input aria-label="Width" inputMode="numeric" value={width} onChange={(e) => setWidth(e.target.value)} />
        </label>
        <label className="field">
          <span>Height</span>
          <input aria-label="Height" inputMode="numeric" value={height} onChange={(e) => setHeight(e.target.value)} />
        </label>
      </div>
      <label className="field">
        <span>Start timecode</span>
        <input aria-label="Start timecode" value={tc} spellCheck={false} onChange={(e) => setTc(e.target.value)} />
        {!tcOk && <span className="warn-text">Timecode like 01:00:00:00 at this rate</span>}
      </label>
      {error && <div className="notice warn" role="alert">{error}</div>}
    </Modal>
  );
}

import { useState } from 'react';
import type { RationalDto } from '../../../api/schemas/media';
import { FRAME_RATES } from '../settings/SequenceSettingsDialog';
import { Modal } from '../shell/Modal';

export interface ImportChoice {
  paths: string[];
  sequenceFps: RationalDto;
}

/**
 * Import by typed paths (the browser-hosted UI has no native file dialog): files, folders of
 * numbered images or patterns, one per line, and the rate image sequences play at (image files
 * carry none: two-birds was shot at 25).
 */
export function ImportDialog({ defaultFps, onDone }: { defaultFps: RationalDto; onDone: (choice: ImportChoice | null) => void }) {
  const [text, setText] = useState('');
  const [fps, setFps] = useState(`${defaultFps.num}/${defaultFps.den}`);
  const paths = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const chosen = FRAME_RATES.find((r) => `${r.fps.num}/${r.fps.den}` === fps)?.fps ?? defaultFps;
  return (
    <Modal
      title="Import media"
      onClose={() => onDone(null)}
      footer={
        <>
          <button onClick={() => onDone(null)}>Cancel</button>
          <button className="primary" disabled={!paths.length} onClick={() => onDone({ paths, sequenceFps: chosen })}>
            Import
          </button>
        </>
      }
    >
      <label className="field">
        <span>Media file paths, one per line (a folder of numbered images is one clip)</span>
        <textarea rows={4} value={text} spellCheck={false} placeholder="/path/to/clip.mov" onChange={(e) => setText(e.target.value)} />
      </label>
      <label className="field">
        <span>Image sequences play at</span>
        <select aria-label="Image sequence frame rate" value={fps} onChange={(e) => setFps(e.target.value)}>
          {FRAME_RATES.map((r) => (
            <option key={r.label} value={`${r.fps.num}/${r.fps.den}`}>
              {r.label} fps
            </option>
          ))}
        </select>
      </label>
    </Modal>
  );
}

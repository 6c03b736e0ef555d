import { useState } from 'react';
import type { RationalDto } from '../../../api/schemas/media';
import { FrameRateSelect } from '../settings/FrameRateSelect';
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
  const [fps, setFps] = useState<RationalDto>(defaultFps);
  const paths = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    <Modal
      title="Import media"
      onClose={() => onDone(null)}
      footer={
        <>
          <button onClick={() => onDone(null)}>Cancel</button>
          <button className="primary" disabled={!paths.length} onClick={() => onDone({ paths, sequenceFps: fps })}>
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
        <FrameRateSelect label="Image sequence frame rate" value={fps} onChange={setFps} />
      </label>
    </Modal>
  );
}

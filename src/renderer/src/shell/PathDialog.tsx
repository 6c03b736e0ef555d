import { useState } from 'react';
import { Modal } from './Modal';

export interface PathRequest {
  title: string;
  label: string;
  initial?: string;
  /** One path per line (media import). */
  multiple?: boolean;
  confirmLabel: string;
}

/**
 * Asks for file paths by typing them: the browser-hosted UI has no native file dialog and no
 * access to real paths, so this is how files are chosen there (Electron uses native dialogs).
 */
export function PathDialog({ request, onDone }: { request: PathRequest; onDone: (paths: string[] | null) => void }) {
  const [text, setText] = useState(request.initial ?? '');
  const paths = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const submit = () => paths.length && onDone(request.multiple ? paths : paths.slice(0, 1));
  return (
    <Modal
      title={request.title}
      onClose={() => onDone(null)}
      footer={
        <>
          <button onClick={() => onDone(null)}>Cancel</button>
          <button className="primary" disabled={!paths.length} onClick={submit}>
            {request.confirmLabel}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{request.label}</span>
        {request.multiple ? (
          <textarea
            rows={4}
            value={text}
            spellCheck={false}
            placeholder="/path/to/clip.mov"
            onChange={(e) => setText(e.target.value)}
          />
        ) : (
          <input
            value={text}
            spellCheck={false}
            placeholder="/path/to/project.lacuna"
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && submit()}
          />
        )}
      </label>
    </Modal>
  );
}

import { useState } from 'react';
import type { ChatModelDto } from '../../../api/schemas/chat';

interface ChatModelSettingsProps {
  model: ChatModelDto;
  /** Whether an LGVI-I model pack is installed (its own LLM can read the chat). */
  interactive: boolean;
  runAtOnce: boolean;
  onChange: (settings: { model: ChatModelDto; runAtOnce: boolean }) => void;
  onClose: () => void;
}

/**
 * Which model reads the chat: none (Lite's grammar reads plain requests), a local
 * OpenAI-compatible server (Ollama, llama.cpp's server, LM Studio), or a GGUF file run in process.
 */
export function ChatModelSettings({ model, interactive, runAtOnce, onChange, onClose }: ChatModelSettingsProps) {
  const [kind, setKind] = useState<ChatModelDto['kind']>(model.kind);
  const [url, setUrl] = useState(model.kind === 'endpoint' ? model.url : 'http://127.0.0.1:11434/v1');
  const [name, setName] = useState(model.kind === 'endpoint' ? model.model : '');
  const [file, setFile] = useState(model.kind === 'gguf' ? model.file : '');
  const [atOnce, setAtOnce] = useState(runAtOnce);
  const next: ChatModelDto | null =
    kind === 'none' || kind === 'lgvi-i' ? { kind } : kind === 'endpoint' ? (url.trim() && name.trim() ? { kind, url: url.trim(), model: name.trim() } : null) : file.trim() ? { kind, file: file.trim() } : null;
  return (
    <form
      className="chat-settings"
      aria-label="Chat model"
      onSubmit={(e) => {
        e.preventDefault();
        if (!next) return;
        onChange({ model: next, runAtOnce: atOnce });
        onClose();
      }}
    >
      <label>
        <span>Model</span>
        <select aria-label="Chat model kind" value={kind} onChange={(e) => setKind(e.target.value as ChatModelDto['kind'])}>
          <option value="none">None: plain requests only</option>
          <option value="endpoint">Local server (Ollama, LM Studio…)</option>
          <option value="gguf">GGUF file on this machine</option>
          {(interactive || kind === 'lgvi-i') && <option value="lgvi-i">LGVI-I model pack (answers and removes)</option>}
        </select>
      </label>
      {kind === 'endpoint' && (
        <>
          <label>
            <span>URL</span>
            <input aria-label="Server URL" value={url} onChange={(e) => setUrl(e.target.value)} />
          </label>
          <label>
            <span>Model name</span>
            <input aria-label="Model name" placeholder="llama3.2" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        </>
      )}
      {kind === 'gguf' && (
        <label>
          <span>File</span>
          <input aria-label="GGUF file" placeholder="/models/qwen2.5-3b-instruct-q4_k_m.gguf" value={file} onChange={(e) => setFile(e.target.value)} />
        </label>
      )}
      {kind === 'lgvi-i' && (
        <p className="muted">
          {interactive
            ? 'The pack’s own language model answers on the clip’s first frame; the removal then runs LGVI-I on the conversation itself.'
            : 'No LGVI-I model pack is installed.'}
        </p>
      )}
      <label className="check">
        <input type="checkbox" checked={atOnce} onChange={(e) => setAtOnce(e.target.checked)} />
        <span>Remove at once, without confirming</span>
      </label>
      <div className="button-group">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={!next}>
          Use
        </button>
      </div>
    </form>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { ClipDto } from '../../../api/schemas/project';
import { useClient } from '../clientContext';
import { chatThread, openInstruction, pendingAfterReply, withEditedInstruction } from './chatThread';
import { saveChatSettings, useChatStore } from './chatStore';
import { ChatModelSettings } from './ChatModelSettings';
import { useAppStore } from '../store/appStore';

interface ChatPanelProps {
  clip: ClipDto | null;
  reportError: (e: unknown) => void;
}

/**
 * The clip's chat (the paper's interactive task): the conversation, the assistant's answers, and
 * the instruction it settled on — shown, editable, and rendered only when the user says so (or at
 * once, a setting). Follow-ups act on the clip's active take; "undo that" switches back a take.
 */
export function ChatPanel({ clip, reportError }: ChatPanelProps) {
  const client = useClient();
  const pending = useChatStore((s) => (clip ? s.pending[clip.id] : undefined));
  const busy = useChatStore((s) => s.busyClipId !== null && s.busyClipId === clip?.id);
  const model = useChatStore((s) => s.model);
  const runAtOnce = useChatStore((s) => s.runAtOnce);
  // An installed LGVI-I pack can answer the chat itself (and then removes by the chat).
  const interactive = useAppStore((s) => s.kinds.some((k) => k.kind === 'lgvi-i'));
  const [message, setMessage] = useState('');
  const [edited, setEdited] = useState<string | null>(null);
  const [showSettings, setShowSettings] = useState(false);
  const bottom = useRef<HTMLLIElement>(null);

  const thread = clip ? chatThread(clip, pending) : [];
  const instruction = clip ? openInstruction(clip, pending) : null;
  useEffect(() => {
    setEdited(instruction);
  }, [instruction]);
  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: 'nearest' });
  }, [thread.length]);

  const render = async (c: ClipDto, text: string, conversation = thread) => {
    await client.call('jobs.submit', {
      kind: 'remove',
      clipId: c.id,
      expression: text,
      conversation: withEditedInstruction(conversation, text),
      // LGVI-I answers the chat again while it removes (seeded: the same answer) and is guided by it.
      ...(model.kind === 'lgvi-i' && { engine: 'lgvi-i' }),
    });
  };

  const send = async () => {
    const text = message.trim();
    if (!clip || !text || busy) return;
    useChatStore.setState({ busyClipId: clip.id });
    try {
      const reply = await client.call('chat.send', { clipId: clip.id, message: text, pending: pending?.baseTakeId === clip.activeTakeId ? pending.turns : [], model, seed: 0 });
      setMessage('');
      // After "undo that" the clip shows the take before: the undo turn continues that take.
      const next = reply.undoneTo ? { baseTakeId: reply.undoneTo, turns: reply.conversation.slice(-2) } : pendingAfterReply(clip, reply.conversation);
      useChatStore.setState((s) => ({ pending: { ...s.pending, [clip.id]: next } }));
      if (reply.instruction && runAtOnce) {
        await render(clip, reply.instruction, reply.conversation);
        useChatStore.setState((s) => ({ pending: { ...s.pending, [clip.id]: { ...next, rendering: true } } }));
      }
    } catch (e) {
      reportError(e);
    } finally {
      useChatStore.setState({ busyClipId: null });
    }
  };

  return (
    <section className="panel chat" aria-label="Chat">
      <header className="panel-header">
        <h2>Chat</h2>
        {clip && <span className="muted">{clip.name}</span>}
        <button className="small" aria-expanded={showSettings} onClick={() => setShowSettings((v) => !v)} title="Which model reads the chat">
          {model.kind === 'none' ? 'No model' : model.kind === 'endpoint' ? model.model : model.kind === 'lgvi-i' ? 'LGVI-I' : 'GGUF'} ▾
        </button>
      </header>
      {showSettings && (
        <ChatModelSettings
          model={model}
          interactive={interactive}
          runAtOnce={runAtOnce}
          onChange={(next) => saveChatSettings(next)}
          onClose={() => setShowSettings(false)}
        />
      )}
      <div className="panel-body chat-body">
        {!clip && <p className="empty">Select a clip to talk about it.</p>}
        {clip && thread.length === 0 && (
          <p className="empty">Ask in your own words, e.g. “can you make this shot only about the pelican?”</p>
        )}
        {clip && thread.length > 0 && (
          <ol className="chat-thread" aria-label={`Conversation about ${clip.name}`}>
            {thread.map((m, i) => (
              <li key={i} className={`chat-msg ${m.role}`} data-testid={`chat-${m.role}`}>
                <span className="chat-text">{m.text}</span>
                {m.instruction && i !== thread.length - 1 && <span className="chat-instruction muted">→ {m.instruction}</span>}
              </li>
            ))}
            <li ref={bottom} aria-hidden className="chat-end" />
          </ol>
        )}
      </div>
      {clip && instruction !== null && (
        <div className="chat-confirm" data-testid="chat-confirm">
          <label>
            <span>Instruction</span>
            <input aria-label="Removal instruction" value={edited ?? ''} onChange={(e) => setEdited(e.target.value)} />
          </label>
          <button
            className="primary"
            disabled={!edited?.trim()}
            onClick={() =>
              void render(clip, edited!.trim()).then(
                // The turns stay shown until the new take (which keeps them) becomes the clip's active one.
                () => useChatStore.setState((s) => ({ pending: { ...s.pending, [clip.id]: { baseTakeId: clip.activeTakeId, turns: s.pending[clip.id]?.turns ?? [], rendering: true } } })),
                reportError,
              )
            }
          >
            Remove
          </button>
        </div>
      )}
      {clip && (
        <form
          className="chat-input"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          <textarea
            aria-label="Message"
            rows={2}
            placeholder="Ask about this clip…"
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void send();
              }
            }}
          />
          <button type="submit" disabled={busy || !message.trim()}>
            {busy ? 'Thinking…' : 'Send'}
          </button>
        </form>
      )}
    </section>
  );
}

import type { Note } from '../hooks/useNotifications';

export function Notifications({ notes, onDismiss }: { notes: Note[]; onDismiss: (id: number) => void }) {
  return (
    <div className="notifications" aria-live="polite">
      {notes.map((n) => (
        <div key={n.id} className={`note ${n.kind}`} role={n.kind === 'info' ? 'status' : 'alert'}>
          <div className="note-text">{n.text}</div>
          {n.hint && <div className="hint">{n.hint}</div>}
          <button className="note-close" aria-label="Dismiss" onClick={() => onDismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

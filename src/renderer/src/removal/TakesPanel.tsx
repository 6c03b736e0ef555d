import type { ClipDto, TakeDto } from '../../../api/schemas/project';
import { formatTime, shortenPath } from '../format';

/** What made the take, in words: "transcode", "lgvi: remove the man on the left". */
function describeTake(take: TakeDto): string {
  if (take.kind === 'original') return 'imported media';
  return take.expression ? `${take.engine}: “${take.expression}”` : (take.engine ?? '');
}

interface TakesPanelProps {
  clip: ClipDto | null;
  onSetActive: (takeId: string) => void;
  onDelete: (takeId: string) => void;
}

/**
 * The selected clip's takes: the original and every generated version. Choosing one makes the
 * sequence use it (undoable); generated takes can be removed from the clip, their files stay.
 */
export function TakesPanel({ clip, onSetActive, onDelete }: TakesPanelProps) {
  return (
    <section className="panel takes" aria-label="Takes">
      <header className="panel-header">
        <h2>Takes</h2>
        {clip && <span className="muted">{clip.name}</span>}
      </header>
      <div className="panel-body">
        {!clip && <p className="empty">Select a clip to see its takes.</p>}
        {clip && (
          <ul className="take-list" role="radiogroup" aria-label={`Takes of ${clip.name}`}>
            {clip.takes.map((take) => {
              const active = take.id === clip.activeTakeId;
              return (
                <li key={take.id} className={`take${active ? ' active' : ''}`} data-testid="take">
                  <label>
                    <input type="radio" name={`take-${clip.id}`} checked={active} onChange={() => onSetActive(take.id)} />
                    <span className="take-label">{take.label}</span>
                    <span className={`badge ${take.kind === 'original' ? '' : 'accent'}`}>{take.kind}</span>
                    {!take.online && <span className="badge warn">offline</span>}
                  </label>
                  <div className="take-detail">
                    <span>{describeTake(take)}</span>
                    <span className="muted">{formatTime(take.createdAt)}</span>
                  </div>
                  <div className="take-path" title={take.path}>
                    {shortenPath(take.path)}
                  </div>
                  {take.kind === 'generated' && (
                    <button className="small danger" disabled={active} title={active ? 'Choose another take first' : ''} onClick={() => onDelete(take.id)}>
                      Delete take
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}

import { useState } from 'react';
import { useClient } from '../clientContext';
import { formatTime } from '../format';
import { useAppStore } from '../store/appStore';
import { canCancel, canRetry, collectable, farmTakeLine, isActive, projectTakes } from './farmJobs';
import { refreshFarm } from './farmSync';

/**
 * The farm's line in the Jobs panel's header: whether it answers, how many workers, and "Collect
 * finished", which adds the open project's finished farm takes to their clips (one undo step each).
 */
export function FarmHeader({ reportError, notify }: { reportError: (e: unknown) => void; notify: (text: string) => void }) {
  const client = useClient();
  const status = useAppStore((s) => s.farm.status);
  const takes = useAppStore((s) => s.farm.takes);
  const [collecting, setCollecting] = useState(false);
  if (!status?.configured) return null;
  const ready = collectable(projectTakes(takes));
  const collect = async () => {
    setCollecting(true);
    try {
      await client.call('farm.collect', {});
      notify(`Added ${ready.length} farm take${ready.length === 1 ? '' : 's'} to the project`);
      await refreshFarm(client);
    } catch (e) {
      reportError(e);
    } finally {
      setCollecting(false);
    }
  };
  const workers = status.workers.length;
  return (
    <span className="farm-head">
      <span className={`farm-status${status.reachable ? '' : ' warn-text'}`} data-testid="farm-workers" title={status.reachable ? status.workers.map((w) => w.name).join(', ') : (status.error ?? '')}>
        Farm: {status.reachable ? `${workers} worker${workers === 1 ? '' : 's'}` : 'not reachable'}
      </span>
      {ready.length > 0 && (
        <button className="small primary" disabled={collecting} onClick={() => void collect()} title="Add the finished farm takes to their clips">
          {collecting ? 'Collecting…' : `Collect finished (${ready.length})`}
        </button>
      )}
    </span>
  );
}

/**
 * The open project's takes on the render farm, under the local jobs: each with its state, the
 * worker(s) rendering it, its progress and chunk count, its error, Cancel / Retry.
 */
export function FarmJobs({ reportError }: { reportError: (e: unknown) => void }) {
  const client = useClient();
  const farm = useAppStore((s) => s.farm);
  if (!farm.status?.configured) return null;
  const takes = projectTakes(farm.takes);
  const act = (p: Promise<unknown>) => void p.then(() => refreshFarm(client)).catch(reportError);
  return (
    <div className="farm-jobs" data-testid="farm-jobs">
      {farm.error && <div className="job-error">{farm.error}</div>}
      <ul className="job-list">
        {takes.map((t) => {
          const line = farmTakeLine(t);
          return (
            <li key={t.takeId} className={`job farm state-${t.state.replace(' ', '-')}`} data-testid="farm-job" data-state={t.state}>
              <div className="job-head">
                <span className="job-label" title={t.label}>
                  {t.label}
                </span>
                <span className={`badge state-${isActive(t) && t.state !== 'queued' ? 'running' : t.state}`}>{line.state}</span>
              </div>
              {isActive(t) && (
                <div className={`progress${line.percent === null ? ' indeterminate' : ''}`} role="progressbar" aria-label="Farm progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={line.percent ?? undefined}>
                  <div className="progress-fill" style={{ width: `${line.percent ?? 0}%` }} />
                </div>
              )}
              <div className="job-foot">
                <span className="muted" data-testid="farm-job-line">
                  {[line.workers, line.chunks, line.message, isActive(t) && line.percent !== null ? `${line.percent}%` : null, !isActive(t) && t.finishedAt ? `${t.state === 'done' ? 'finished' : t.state} ${formatTime(t.finishedAt)}` : null]
                    .filter(Boolean)
                    .join(' · ')}
                  {t.state === 'done' && (t.resultTakeId ? ' · in the project' : ' · ready to collect')}
                </span>
                <span className="spacer" />
                {canCancel(t) && (
                  <button className="small" onClick={() => act(client.call('farm.cancel', { takeId: t.takeId }))}>
                    Cancel
                  </button>
                )}
                {canRetry(t) && (
                  <button className="small" onClick={() => act(client.call('farm.retry', { takeId: t.takeId }))}>
                    Retry
                  </button>
                )}
              </div>
              {line.error && <div className="job-error">{line.error}</div>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

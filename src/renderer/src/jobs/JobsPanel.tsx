import type { JobDto } from '../../../api/schemas/jobs';
import { formatEta, formatTime } from '../format';

interface JobsPanelProps {
  jobs: JobDto[];
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
}

const STATE_LABEL: Record<JobDto['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

/** States a job can be queued again from (the error of an interrupted one says whether that starts over). */
const RETRYABLE: ReadonlySet<JobDto['state']> = new Set(['failed', 'cancelled', 'interrupted']);

/** Render queue: newest first, live progress with ETA, cancel while queued/running, retry after failure or interruption. */
export function JobsPanel({ jobs, onCancel, onRetry }: JobsPanelProps) {
  const ordered = [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const active = jobs.filter((j) => j.state === 'running' || j.state === 'queued').length;
  return (
    <section className="panel jobs" aria-label="Jobs">
      <header className="panel-header">
        <h2>Jobs</h2>
        <span className="muted">{active ? `${active} active` : ''}</span>
      </header>
      <div className="panel-body">
        {ordered.length === 0 && <p className="empty">No jobs yet. Right-click a clip to start one.</p>}
        <ul className="job-list">
          {ordered.map((job) => {
            const pct = job.progress === null ? null : Math.round(job.progress * 100);
            return (
              <li key={job.id} className={`job state-${job.state}`} data-testid="job" data-state={job.state}>
                <div className="job-head">
                  <span className="job-label" title={job.label}>{job.label}</span>
                  <span className={`badge state-${job.state}`}>{STATE_LABEL[job.state]}</span>
                </div>
                {(job.state === 'running' || job.state === 'queued') && (
                  <div
                    className={`progress${pct === null ? ' indeterminate' : ''}`}
                    role="progressbar"
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={pct ?? undefined}
                  >
                    <div className="progress-fill" style={{ width: `${pct ?? 0}%` }} />
                  </div>
                )}
                <div className="job-foot">
                  <span className="muted">
                    {job.state === 'running' && (pct !== null ? `${pct}%` : 'starting')}
                    {job.state === 'running' && job.etaSeconds !== null && ` · ${formatEta(job.etaSeconds)}`}
                    {job.state === 'running' && job.message && ` · ${job.message}`}
                    {job.state === 'queued' && 'waiting'}
                    {job.finishedAt && job.state !== 'running' && `finished ${formatTime(job.finishedAt)}`}
                  </span>
                  <span className="spacer" />
                  {(job.state === 'running' || job.state === 'queued') && (
                    <button className="small" onClick={() => onCancel(job.id)}>
                      Cancel
                    </button>
                  )}
                  {RETRYABLE.has(job.state) && (
                    <button className="small" onClick={() => onRetry(job.id)}>
                      Retry
                    </button>
                  )}
                </div>
                {job.state === 'done' && job.message && (
                  <div className="job-note" data-testid="job-note">
                    {job.message}
                  </div>
                )}
                {job.error && (job.state === 'failed' || job.state === 'interrupted') && (
                  <div className="job-error">
                    {job.error.message}
                    {job.error.hint && <div className="hint">{job.error.hint}</div>}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

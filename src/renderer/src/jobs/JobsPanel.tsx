import { useRef, type ReactNode } from 'react';
import type { JobDto } from '../../../api/schemas/jobs';
import { formatEta, formatTime } from '../format';
import { useAppStore } from '../store/appStore';
import { projectTakes } from './farmJobs';
import { useFarmPolling } from './farmSync';

interface JobsPanelProps {
  jobs: JobDto[];
  /** Whether Retry can succeed: its clip is still in the open project (else it would render an orphan take). */
  canRetry: (job: JobDto) => boolean;
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  /** The render farm's takes (FarmJobs), listed under this machine's jobs, and its header line (FarmHeader). */
  farm?: ReactNode;
  farmHeader?: ReactNode;
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

/**
 * Render queue: newest first, each stage's own progress (finding objects, filling, encoding) with
 * ETA, cancel while queued/running, retry after failure or interruption; then the farm's takes,
 * polled while the panel is on screen.
 */
export function JobsPanel({ jobs, canRetry, onCancel, onRetry, farm, farmHeader }: JobsPanelProps) {
  const ref = useRef<HTMLElement>(null);
  useFarmPolling(ref);
  const farmCount = useAppStore((s) => projectTakes(s.farm.takes).length);
  const ordered = [...jobs].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const active = jobs.filter((j) => j.state === 'running' || j.state === 'queued').length;
  return (
    <section className="panel jobs" aria-label="Jobs" ref={ref}>
      <header className="panel-header">
        <h2>Jobs</h2>
        <span className="muted">{active ? `${active} active` : ''}</span>
        {farmHeader}
      </header>
      <div className="panel-body">
        {ordered.length === 0 && farmCount === 0 && <p className="empty">No jobs yet. Right-click a clip to start one.</p>}
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
                    {job.state === 'running' && (
                      <span data-testid="job-stage">
                        {job.message ? job.message[0].toUpperCase() + job.message.slice(1) : 'Starting'}
                        {job.units && job.units.total > 1 && ` ${Math.round(job.units.done)}/${Math.round(job.units.total)}`}
                        {pct !== null && ` · ${pct}%`}
                        {job.etaSeconds !== null && ` · ${formatEta(job.etaSeconds)}`}
                      </span>
                    )}
                    {job.state === 'queued' && 'waiting'}
                    {job.finishedAt && job.state !== 'running' && `finished ${formatTime(job.finishedAt)}`}
                    {job.provider && <span data-testid="job-provider">{` · ran on ${job.provider.toUpperCase()}`}</span>}
                  </span>
                  <span className="spacer" />
                  {(job.state === 'running' || job.state === 'queued') && (
                    <button className="small" onClick={() => onCancel(job.id)}>
                      Cancel
                    </button>
                  )}
                  {RETRYABLE.has(job.state) && canRetry(job) && (
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
        {farm}
      </div>
    </section>
  );
}

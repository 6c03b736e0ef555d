import type { JobDto } from '../../../api/schemas/jobs';

/** Jobs longer than this tell the desktop when they end (the user has likely switched away). */
export const LONG_JOB_MS = 30_000;

/** The system notification a job's end deserves: only a long job that finished or failed. */
export function jobEndNotice(job: Pick<JobDto, 'state' | 'label' | 'startedAt' | 'finishedAt'>): { title: string; body: string } | null {
  if (!job.startedAt || !job.finishedAt || (job.state !== 'done' && job.state !== 'failed')) return null;
  if (Date.parse(job.finishedAt) - Date.parse(job.startedAt) < LONG_JOB_MS) return null;
  return { title: job.state === 'done' ? 'Render finished' : 'Render failed', body: job.label };
}

/** Shows `jobEndNotice(job)` as a system notification, asking for permission the first time. */
export function notifyIfLong(job: JobDto): void {
  const notice = jobEndNotice(job);
  if (!notice || typeof Notification === 'undefined' || Notification.permission === 'denied') return;
  const show = () => new Notification(notice.title, { body: notice.body });
  if (Notification.permission === 'granted') show();
  else void Notification.requestPermission().then((p) => p === 'granted' && show());
}

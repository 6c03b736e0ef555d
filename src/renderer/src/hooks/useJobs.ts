import { useEffect, useState } from 'react';
import type { JobDto } from '../../../api/schemas/jobs';
import { useClient } from '../clientContext';

/**
 * Jobs of this session, kept current from jobs.state (whole job, on each transition) and
 * jobs.progress (small, frequent updates merged into the job they belong to).
 */
export function useJobs(onError: (e: unknown) => void): JobDto[] {
  const client = useClient();
  const [jobs, setJobs] = useState<Map<string, JobDto>>(new Map());
  useEffect(() => {
    let live = true;
    const offState = client.on('jobs.state', (job) =>
      setJobs((prev) => new Map(prev).set(job.id, job)),
    );
    const offProgress = client.on('jobs.progress', (p) =>
      setJobs((prev) => {
        const job = prev.get(p.jobId);
        // Progress for a job we have not heard of yet: its state event (or the list) brings it.
        if (!job || job.state !== 'running') return prev;
        return new Map(prev).set(p.jobId, { ...job, progress: p.progress, etaSeconds: p.etaSeconds, message: p.message });
      }),
    );
    client.call('jobs.list', {}).then(
      (list) =>
        live &&
        setJobs((prev) => {
          const next = new Map(list.map((j) => [j.id, j] as const));
          // Events that arrived while the list was in flight are at least as new.
          for (const [id, job] of prev) next.set(id, job);
          return next;
        }),
      (e) => live && onError(e),
    );
    return () => {
      live = false;
      offState();
      offProgress();
    };
  }, [client, onError]);
  return [...jobs.values()];
}

import { useEffect } from 'react';
import { useClient } from '../clientContext';
import { notifyIfLong } from '../jobs/jobEndNotice';
import { useAppStore } from '../store/appStore';

/**
 * Keeps the store's copy of the engine's state current: the project from project.changed (the
 * single source of truth, whoever caused the change), jobs from jobs.state/jobs.progress, and the
 * facts that do not change while running (host, ffmpeg, job kinds).
 */
export function useEngineSync(onError: (e: unknown) => void): void {
  const client = useClient();
  useEffect(() => {
    let live = true;
    let gotProject = false;
    const set = useAppStore.setState;
    const offs = [
      client.on('project.changed', (project) => {
        gotProject = true;
        set((s) => ({
          project,
          loaded: true,
          // A different project (or none) starts with nothing selected and the playheads home.
          ...(project?.id !== s.project?.id && {
            selectedClipIds: [],
            selectedMediaId: null,
            sequenceId: null,
            program: { frame: 0, rate: 0 },
            source: { frame: 0, rate: 0, inPoint: null, outPoint: null },
          }),
        }));
      }),
      client.on('jobs.state', (job) => {
        set((s) => ({ jobs: { ...s.jobs, [job.id]: job } }));
        notifyIfLong(job);
      }),
      client.on('jobs.progress', (p) =>
        set((s) => {
          const job = s.jobs[p.jobId];
          if (!job || job.state !== 'running') return {};
          return { jobs: { ...s.jobs, [p.jobId]: { ...job, progress: p.progress, etaSeconds: p.etaSeconds, message: p.message, units: p.units } } };
        }),
      ),
    ];
    const fail = (e: unknown) => live && onError(e);
    client.call('project.get', {}).then((project) => live && !gotProject && set({ project, loaded: true }), fail);
    client.call('jobs.list', {}).then(
      (list) => live && set((s) => ({ jobs: { ...Object.fromEntries(list.map((j) => [j.id, j])), ...s.jobs } })),
      fail,
    );
    client.call('app.info', {}).then((info) => live && set({ info }), fail);
    client.call('ffmpeg.status', {}).then((ffmpeg) => live && set({ ffmpeg }), fail);
    client.call('jobs.kinds', {}).then((kinds) => live && set({ kinds }), fail);
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [client, onError]);
}

import { resolve } from 'node:path';
import { JobQueue, writeTakeBack, type JobRecord } from '../engine/jobs';
import { submitClipJob } from '../engine/jobs/clipJob';
import { installedJobKinds } from '../engine/jobs/kinds';
import { ffmpegPaths } from '../engine/media/ffmpegLocator';
import { probeMedia } from '../engine/media/probe';
import { loadProject, updateProject } from '../engine/project';
import type { RemovalEngine } from '../engine/removal/removalEngine';
import { LacunaError, type LacunaErrorCode } from '../engine/util/errors';
import { cliDataDir } from './dataDir';
import type { CliContext } from './main';
import { findClip } from './projectClip';
import { lockWaitNotice } from './lockWaitNotice';

export interface ClipJobCliRequest {
  projectFile: string;
  /** Removal engines to offer the queue (their kinds); none for a transcode. */
  engines?: readonly RemovalEngine[];
  clip: string;
  kind: string;
  params: Record<string, unknown>;
  what: string;
}

export interface ClipJobCliResult {
  job: JobRecord;
  takeId: string | null;
  project: string;
}

/**
 * Runs one clip job to completion from the command line, through the same queue the app uses:
 * the render goes to the project's Renders folder, becomes the clip's new (active) take, and the
 * project is saved (atomically, previous version kept as .bak, under the project's lock, into
 * the file as it is when the render is done). Ctrl-C cancels the job, which
 * removes its scratch files; the project is then left as it was.
 */
export async function runClipJob(ctx: CliContext, request: ClipJobCliRequest): Promise<ClipJobCliResult> {
  const reporter = ctx.reporter();
  const file = resolve(request.projectFile);
  const { project, missingMedia } = await loadProject(file);
  for (const m of missingMedia) reporter.warn(`media offline: ${m.name} (expected at ${m.path})`);
  const clip = findClip(project.doc, request.clip);

  const queue = await JobQueue.open({
    dataDir: cliDataDir(),
    kinds: installedJobKinds(request.engines),
    ffmpeg: ffmpegPaths,
    // The take goes into the project as it is on disk NOW, under its lock: another command may
    // have changed it (or added its own take) while this one rendered.
    complete: async (job, result) => {
      const { value } = await updateProject(
        file,
        (current) => writeTakeBack(job, result, () => current, (path, signal) => probeMedia(path, { signal })),
        { onWait: lockWaitNotice(reporter) },
      );
      const { mediaIds: _added, ...outcome } = value;
      return outcome;
    },
  });
  try {
    const job = submitClipJob(queue, project, { kind: request.kind, clipId: clip.id, params: request.params, what: request.what, dataDir: cliDataDir() });
    reporter.info(`${job.label} (job ${job.id})`);
    const stopListening = queue.on((event) => {
      const { stage, units, etaSeconds } = event.job;
      if (event.job.id !== job.id || event.type !== 'progress' || !stage || !units) return;
      reporter.progress({ stage, done: units.done, total: units.total, ...(etaSeconds !== null && { etaSeconds }) });
    });
    const onAbort = () => queue.cancel(job.id);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const finished = await queue.whenFinished(job.id).finally(() => {
      stopListening();
      ctx.signal.removeEventListener('abort', onAbort);
    });
    for (const w of finished.warnings) reporter.warn(w);
    if (finished.state !== 'done') {
      const e = finished.error;
      throw new LacunaError((e?.code as LacunaErrorCode | undefined) ?? 'CANCELLED', e?.message ?? `${finished.label} was ${finished.state}`, e?.hint);
    }
    // A render that could not be added to its project: say where it is.
    if (finished.result && !finished.resultTakeId && finished.note) reporter.warn(finished.note);
    return { job: finished, takeId: finished.resultTakeId, project: file };
  } finally {
    await queue.dispose();
  }
}

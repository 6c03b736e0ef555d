import type { MediaInfo } from '../media/types';
import { quickHashFile, takeNumberTaken, type ContentHash, type Project } from '../project';
import type { CompletionOutcome } from './jobQueue';
import type { DeliveredResult, JobRecord } from './jobRecord';

/**
 * Adds a finished job's render to its project as a new take: the rendered file (and matte)
 * into the media pool plus the take, as ONE undo step, so a single Undo takes the whole result
 * back and Redo restores it. Only into the project and clip the job was queued for: if that
 * project is not open or the clip is gone, nothing is added and the outcome says where the
 * file is, so the render is never lost and never lands in the wrong project.
 */

export type ProbeFile = (path: string, signal?: AbortSignal) => Promise<MediaInfo>;

interface ProbedFile {
  info: MediaInfo;
  hash: ContentHash;
}

async function probeFile(path: string, probe: ProbeFile): Promise<ProbedFile> {
  // Probe and hash before the edit: edits are synchronous, so no other edit can slip in between.
  const [info, hash] = await Promise.all([probe(path), quickHashFile(path)]);
  return { info, hash };
}

/** Why `project` is not where the result of `job` can go, or null when it is. */
function targetProblem(job: Readonly<Pick<JobRecord, 'target'>>, project: Project | null, file: string): string | null {
  const target = job.target;
  if (!target) return null;
  if (!project || project.doc.id !== target.projectId) {
    return `Its project was closed before the job finished; the render is kept at ${file}. Reopen the project to add it as a take.`;
  }
  if (!project.locateClip(target.clipId)) {
    return `Its clip was removed from the project before the job finished; the render is kept at ${file}.`;
  }
  return null;
}

export interface WriteBackResult extends CompletionOutcome {
  /** Media entries added (for the app's "file is on disk" cache). */
  mediaIds: string[];
}

/**
 * Adds `result` to the project `current()` returns (asked again after probing: the user may
 * close or switch projects meanwhile). A job without a target (CLI, render farm) adds nothing.
 */
export async function writeTakeBack(
  job: Readonly<Pick<JobRecord, 'id' | 'target'> & { output?: Pick<JobRecord['output'], 'takeNumber'> }>,
  result: DeliveredResult,
  current: () => Project | null,
  probe: ProbeFile,
): Promise<WriteBackResult> {
  if (!job.target) return { mediaIds: [] };
  const before = targetProblem(job, current(), result.takeFile);
  if (before) return { note: before, mediaIds: [] };
  const take = await probeFile(result.takeFile, probe);
  const matte = result.matteFile ? await probeFile(result.matteFile, probe) : null;
  const project = current();
  const after = targetProblem(job, project, result.takeFile);
  if (after || !project) return { note: after ?? undefined, mediaIds: [] };
  const clipId = job.target.clipId;
  // A take of only part of the clip (a marked range) is added but not switched to: the clip
  // would show frames the take does not have.
  const loc = project.locateClip(clipId)!;
  const takeStart = result.sourceStart ?? loc.clip.sourceIn;
  const takeFrames = take.info.video?.frameCount ?? 0;
  const covers = takeFrames === 0 || (takeStart <= loc.clip.sourceIn && loc.clip.sourceOut <= takeStart + takeFrames);
  return project.batch('Add Take', () => {
    const media = project.addMedia(take.info, take.hash);
    const matteMedia = matte ? project.addMedia(matte.info, matte.hash) : null;
    // Labelled with the number its file carries, unless a take has that label by now.
    const number = job.output?.takeNumber;
    const label = number !== undefined && !takeNumberTaken(project.getClip(clipId).takes, number) ? `Take ${number}` : undefined;
    const added = project.addTake(clipId, {
      ...(label && { label }),
      mediaId: media.id,
      params: result.params,
      sourceStart: result.sourceStart,
      jobId: job.id,
      ...(matteMedia && { matteMediaId: matteMedia.id }),
      ...(!covers && { activate: false }),
    });
    return { resultTakeId: added.id, mediaIds: matteMedia ? [media.id, matteMedia.id] : [media.id] };
  });
}

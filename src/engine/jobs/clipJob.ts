import { z } from 'zod';
import { nextTakeNumber, takeNumberTaken, type Project } from '../project';
import { MediaRefSchema } from '../project/schema';
import { LacunaError } from '../util/errors';
import type { JobQueue } from './jobQueue';
import type { JobOutput, JobRecord } from './jobRecord';
import { renderName, rendersDirFor } from './renderLocation';

/**
 * Jobs that render a new take of a clip (transcode, removal) all start the same way: read the
 * clip's active take over the clip's range, and write a file that becomes the next take. This is
 * that part, shared by the app's controller, the CLI and render-farm workers, so each of them
 * queues the same self-contained job: the params carry the media entry itself, not a reference
 * into a project, so the job runs even if the project changes or closes meanwhile.
 */

export const ClipSourceParamsSchema = z.object({
  /** What the user calls it (the clip's name), for the job's label. */
  name: z.string().min(1),
  /** The media to read, as the project stores it (absolute path, probe, hash). */
  media: MediaRefSchema,
  /** Frames of `media` to read, half-open. */
  range: z.object({ start: z.number().int().min(0), end: z.number().int().min(1) }),
  /** The original media's frame the result's frame 0 shows (the clip's sourceIn). */
  sourceStart: z.number().int().min(0),
});
export type ClipSourceParams = z.infer<typeof ClipSourceParamsSchema>;

/** The clip-source part of a job's params, for the clip's active take over the clip's range. */
export function clipSourceParams(project: Project, clipId: string): ClipSourceParams {
  const clip = project.locateClip(clipId)?.clip;
  if (!clip) {
    throw new LacunaError('NOT_FOUND', `no clip with id "${clipId}" in "${project.doc.name}"`, 'It may have been removed; pick a clip on the timeline.');
  }
  const source = project.activeSource(clip.id);
  return {
    name: clip.name,
    media: source.media,
    range: { start: source.sourceIn, end: source.sourceOut },
    sourceStart: clip.sourceIn,
  };
}

export interface ClipJobRequest {
  kind: string;
  clipId: string;
  /** The frames and take to read (default: the clip's active take over the clip's range). */
  source?: ClipSourceParams;
  /** The kind's own params, beside the clip source. */
  params: Record<string, unknown>;
  /** What the render is, for its file name ("Transcode ProRes 422 HQ", "Remove the left bird"). */
  what: string;
  /** The app's data folder: renders of never-saved projects go under it. */
  dataDir: string;
  /** Where renders of never-saved projects go instead (the app settings' renders folder). */
  rendersDir?: string | null;
}

/** Queues a job that renders a new take of a clip of `project`. */
export function submitClipJob(queue: JobQueue, project: Project, request: ClipJobRequest): JobRecord {
  const source = request.source ?? clipSourceParams(project, request.clipId);
  const clip = project.getClip(request.clipId);
  const takeNumber = nextTakeNumber(clip.takes, reservedTakeNumbers(queue, project.doc.id, clip.id));
  return queue.submit({
    kind: request.kind,
    params: { ...source, ...request.params },
    target: { projectId: project.doc.id, projectPath: project.path, clipId: clip.id },
    output: {
      dir: rendersDirFor({ path: project.path, name: project.doc.name }, request.dataDir, request.rendersDir),
      name: renderName(clip.name, request.what, takeNumber),
      takeNumber,
    },
  });
}

/**
 * The output a finished job of `project`'s clip should be retried into: its own while its take
 * number is still free, else named after the clip's next number (a take, or a render queued since,
 * took it meanwhile). Null when the job is not a take of a clip of this project.
 */
export function retryOutput(queue: JobQueue, project: Project, job: Readonly<JobRecord>): JobOutput | null {
  const clip = job.target?.projectId === project.doc.id ? project.locateClip(job.target.clipId)?.clip : undefined;
  const number = job.output.takeNumber;
  if (!clip || number === undefined) return null;
  const reserved = reservedTakeNumbers(queue, project.doc.id, clip.id, job.id);
  if (!takeNumberTaken(clip.takes, number) && !reserved.includes(number)) return null;
  const takeNumber = nextTakeNumber(clip.takes, reserved);
  return { ...job.output, name: job.output.name.replace(/ - Take \d+$/, ` - Take ${takeNumber}`), takeNumber };
}

/** Take numbers held by renders of the clip still queued or running (they add their takes later). */
function reservedTakeNumbers(queue: JobQueue, projectId: string, clipId: string, except?: string): number[] {
  return queue
    .list()
    .filter((j) => j.id !== except && (j.state === 'queued' || j.state === 'running') && j.target?.projectId === projectId && j.target.clipId === clipId)
    .flatMap((j) => (j.output.takeNumber === undefined ? [] : [j.output.takeNumber]));
}

import { writeTakeBack, type ProbeFile } from '../jobs/takeWriteBack';
import { updateProject, type Project } from '../project';
import type { FarmClient, FarmTakeStatus } from './farmClient';

/**
 * Brings finished farm takes into their project: each done take queued for this project becomes
 * a new take of its clip (one undo step each, as a local job's), unless the clip already has it
 * (a take's jobId is the farm take's id), so collecting twice adds nothing twice.
 */
export interface CollectOutcome {
  added: { farmTakeId: string; takeId: string; clipId: string }[];
  /** Takes that finished but could not be added, and why (clip removed, file missing…). */
  notes: string[];
  /** Takes of this project still queued or rendering. */
  pending: number;
}

function alreadyIn(project: Project, status: FarmTakeStatus): boolean {
  const clip = status.target && project.locateClip(status.target.clipId)?.clip;
  return Boolean(clip && clip.takes.some((t) => 'jobId' in t && t.jobId === status.takeId));
}

/**
 * Collects into the project file at `projectFile` through the project's lock: the file is loaded
 * as it is now, the takes added, and it is saved, so an editor's concurrent change is not lost.
 */
export async function collectFarmTakes(client: FarmClient, projectFile: string, probe: ProbeFile, only?: readonly string[]): Promise<CollectOutcome> {
  const statuses = await client.list(1000);
  const { value } = await updateProject(projectFile, (project) => collectInto(project, statuses, probe, only));
  return value;
}

/** Adds the finished takes among `statuses` to `project` (an open project: the app's). */
export async function collectInto(project: Project, statuses: readonly FarmTakeStatus[], probe: ProbeFile, only?: readonly string[]): Promise<CollectOutcome> {
  const outcome: CollectOutcome = { added: [], notes: [], pending: 0 };
  const mine = statuses.filter((s) => s.target?.projectId === project.doc.id && (!only || only.includes(s.takeId)));
  for (const status of [...mine].reverse()) {
    if (status.state === 'queued' || status.state === 'running' || status.state === 'rendering chunks') {
      outcome.pending++;
      continue;
    }
    if (status.state !== 'done' || !status.result?.changed || !status.result.takeFile || alreadyIn(project, status)) continue;
    const r = status.result;
    const back = await writeTakeBack(
      { id: status.takeId, target: status.target },
      { takeFile: r.takeFile!, ...(r.matteFile && { matteFile: r.matteFile }), params: r.params as never, sourceStart: r.sourceStart },
      () => project,
      probe,
    );
    if (back.resultTakeId) outcome.added.push({ farmTakeId: status.takeId, takeId: back.resultTakeId, clipId: status.target!.clipId });
    else if (back.note) outcome.notes.push(back.note);
  }
  return outcome;
}

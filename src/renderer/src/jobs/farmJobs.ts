import type { FarmStatusDto, FarmTakeDto } from '../../../api/schemas/farm';
import type { ProjectDto } from '../../../api/schemas/project';

/*
 * The render farm as the app shows it, as pure functions (test/renderer/farmJobs.test.ts):
 * whether "Run on: farm" can be chosen and why not, a farm take's line in the Jobs panel, which
 * takes Collect would add, and how often the panel asks again.
 */

export type FarmTakeState = FarmTakeDto['state'];

/** Whether the Remove panel may send this clip to the farm, and if not, why, in one line. */
export function farmChoice(status: FarmStatusDto | null, project: Pick<ProjectDto, 'path'> | null): { available: boolean; reason: string | null; note: string | null } {
  if (!status) return { available: false, reason: 'Checking for a render farm…', note: null };
  if (!status.configured) return { available: false, reason: 'No render farm is set up: start Lacuna with LACUNA_REDIS_URL set to the farm’s Redis.', note: null };
  // Redis's own words go in the tooltip (note): the line stays one line.
  if (!status.reachable) return { available: false, reason: `The farm’s Redis (${status.redis ?? 'unknown'}) does not answer.`, note: status.error };
  if (!project?.path) return { available: false, reason: 'Save the project first: farm renders go to its Renders folder, which the workers must see.', note: null };
  const n = status.workers.length;
  return { available: true, reason: null, note: n === 0 ? 'No worker is online: the removal waits on the farm until one starts.' : `${n} worker${n === 1 ? '' : 's'} online: ${status.workers.map((w) => w.name).join(', ')}` };
}

const ACTIVE: ReadonlySet<FarmTakeState> = new Set(['queued', 'running', 'rendering chunks']);

export function isActive(t: Pick<FarmTakeDto, 'state'>): boolean {
  return ACTIVE.has(t.state);
}

export function canCancel(t: Pick<FarmTakeDto, 'state'>): boolean {
  return isActive(t);
}

export function canRetry(t: Pick<FarmTakeDto, 'state'>): boolean {
  return t.state === 'failed' || t.state === 'cancelled';
}

const STATE_LABEL: Record<FarmTakeState, string> = {
  queued: 'Queued',
  running: 'Running',
  'rendering chunks': 'Rendering',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** The workers on a take now: its own step's, else those of its running chunks, else every chunk's (once finished). */
export function farmWorkers(t: Pick<FarmTakeDto, 'worker' | 'chunks' | 'state'>): string[] {
  const running = t.chunks.filter((c) => c.state === 'running' && c.worker).map((c) => c.worker!);
  const all = t.chunks.filter((c) => c.worker).map((c) => c.worker!);
  const names = t.worker ? [t.worker, ...running] : running.length ? running : isActive(t) ? [] : all;
  return [...new Set(names)];
}

export interface FarmTakeLine {
  state: string;
  /** 0..100, or null while unknown (an indeterminate bar). */
  percent: number | null;
  /** "on w1", "on w1, w2", or "waiting for a worker". */
  workers: string | null;
  /** "3 of 5 chunks", or null for a take not split. */
  chunks: string | null;
  /** What it is doing now, in words ("finding objects", "joining"). */
  message: string | null;
  error: string | null;
}

export function farmTakeLine(t: FarmTakeDto): FarmTakeLine {
  const names = farmWorkers(t);
  const done = t.chunks.filter((c) => c.state === 'done').length;
  const active = isActive(t);
  // The engine's own "3 of 8 chunks" message is shown as the chunk count instead, not twice.
  const message = t.message && !/\bchunks?\b/.test(t.message) ? t.message : null;
  return {
    state: STATE_LABEL[t.state],
    percent: t.state === 'done' ? 100 : t.progress === null ? null : Math.round(t.progress * 100),
    workers: names.length ? `${active ? 'on' : t.state === 'done' ? 'rendered on' : 'ran on'} ${names.join(', ')}` : active ? 'waiting for a worker' : null,
    chunks: t.chunks.length > 1 ? `${done} of ${t.chunks.length} chunks` : null,
    message: message && active ? message[0].toUpperCase() + message.slice(1) : null,
    error: t.state === 'failed' ? (t.error ?? 'failed without a reason given') : null,
  };
}

/** Finished takes of the open project not yet in it: what "Collect finished" adds. */
export function collectable(takes: readonly FarmTakeDto[]): FarmTakeDto[] {
  return takes.filter((t) => t.state === 'done' && t.clipId !== null && t.resultTakeId === null);
}

/** The open project's farm takes (farm.list puts them first; others' stay on the farm's own status). */
export function projectTakes(takes: readonly FarmTakeDto[]): FarmTakeDto[] {
  return takes.filter((t) => t.clipId !== null);
}

/**
 * How long until the Jobs panel asks the farm again: often while one of the project's takes is
 * moving, rarely when nothing is, and rarest when no farm is set up (only a restart sets one up).
 */
export function farmPollMs(status: FarmStatusDto | null, takes: readonly FarmTakeDto[]): number {
  if (!status?.configured) return 30_000;
  if (!status.reachable) return 10_000;
  return projectTakes(takes).some(isActive) ? 1_500 : 5_000;
}

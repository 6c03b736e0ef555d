/**
 * The farm's queues and the jobs on them. One queue per resource class, so a GPU machine takes
 * LGVI work and a CPU-only machine Lite chunks and transcodes, and neither waits on the other:
 *   - take:      one removal or transcode as the user asked for it (a Lite take is the parent of
 *                its chunks, a BullMQ flow; other takes render whole)
 *   - chunk:     a run of a Lite take's windows, rendered to a chunk file on shared storage
 * Nothing else is ever run: a job with any other name fails without being looked at.
 */
export type ResourceClass = 'cpu' | 'gpu';
export const RESOURCE_CLASSES: readonly ResourceClass[] = ['cpu', 'gpu'];

export type FarmJobName = 'take' | 'chunk';
export const FARM_JOB_NAMES: readonly FarmJobName[] = ['take', 'chunk'];

/** Redis key prefix of everything the farm stores (BullMQ's and ours); one farm per prefix. */
export const DEFAULT_PREFIX = 'lacuna';

export function queueName(resource: ResourceClass): string {
  return `farm-${resource}`;
}

/** Where a take's cancel request is kept (read by a worker before it starts any of its jobs). */
export function cancelKey(prefix: string, takeId: string): string {
  return `${prefix}:farm:cancelled:${takeId}`;
}

/** Published with a take id when it is cancelled, so workers stop its running jobs at once. */
export function cancelChannel(prefix: string): string {
  return `${prefix}:farm:cancel`;
}

/** Workers announce themselves here (name → JSON), refreshed with their heartbeat. */
export function workersKey(prefix: string): string {
  return `${prefix}:farm:workers`;
}

/** A chunk job's id: the take's id and the chunk's number (BullMQ ids may not contain ':'). */
export function chunkJobId(takeId: string, chunk: number): string {
  return `${takeId}-c${chunk}`;
}

import { hostname } from 'node:os';

/** A worker's default name: the machine and the process, as status shows it ("render-2:4711"). */
export function defaultWorkerName(): string {
  return `${hostname()}:${process.pid}`;
}

import type { LockHolder } from '../engine/project';
import type { Reporter } from './reporter';

/** What a CLI command prints when another writer holds the project it must save. */
export function lockWaitNotice(reporter: Reporter): (holder: LockHolder | null) => void {
  return (h) => reporter.info(`waiting for ${h ? `${h.purpose} (process ${h.pid} on ${h.host})` : 'another writer'} to finish with the project`);
}

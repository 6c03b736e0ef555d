import type { JobKind } from '../jobKind';
import { transcodeJobKind } from './transcode';

/**
 * The job kinds this build can run. A new engine (LGVI, Lite, chat removal, NLE export) is a
 * new file beside transcode.ts and one line here.
 */
export function installedJobKinds(): JobKind[] {
  return [transcodeJobKind];
}

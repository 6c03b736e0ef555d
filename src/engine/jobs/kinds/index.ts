import type { RemovalEngine } from '../../removal/removalEngine';
import type { JobKind } from '../jobKind';
import { removalJobKind } from './removal';
import { transcodeJobKind } from './transcode';

/**
 * The job kinds this install can run: transcoding, and one removal kind per installed removal
 * engine (Lite always; LGVI when a model pack is installed). A new kind of job (NLE export, say)
 * is a new file beside these and one line here.
 */
export function installedJobKinds(engines: readonly RemovalEngine[] = []): JobKind[] {
  return [transcodeJobKind, ...engines.map(removalJobKind)];
}

import type { RemovalEngine } from '../../removal/removalEngine';
import type { JobKind } from '../jobKind';
import { removalJobKind } from './removal';
import { transcodeJobKind } from './transcode';

/**
 * The job kinds this install can run: transcoding, and one removal kind per installed removal
 * engine id (Lite always; LGVI when a model pack is installed — several packs of one engine are
 * one kind, and a job names its pack). A new kind of job (NLE export, say) is a new file beside
 * these and one line here.
 */
export function installedJobKinds(engines: readonly RemovalEngine[] = []): JobKind[] {
  const ids = [...new Set(engines.map((e) => e.id))];
  return [transcodeJobKind, ...ids.map((id) => removalJobKind(engines.filter((e) => e.id === id)))];
}

import { basename, dirname } from 'node:path';
import type { MediaRef } from '../project/schema';

/**
 * What the bin and new clips call media: an image sequence imported from a folder is known by the
 * folder ("two-birds"), not by its frame range ("[0-85].jpg"), which says nothing to an editor.
 */
export function displayName(m: MediaRef): string {
  if (m.kind !== 'imageSequence' || !/^\[\d+-\d+\]/.test(m.name)) return m.name;
  return basename(dirname(m.path)) || m.name;
}

import { basename, dirname } from 'node:path';
import { isBareRangeName } from '../project/imageSequence';
import type { MediaRef } from '../project/schema';

/**
 * What the bin and new clips call media. New imports already name a numbers-only sequence by its
 * folder (project/imageSequence.ts); projects saved before that still hold "[0-85].jpg", shown
 * here by the folder ("two-birds") too, without rewriting the file.
 */
export function displayName(m: MediaRef): string {
  if (m.kind !== 'imageSequence' || !isBareRangeName(m.name)) return m.name;
  return basename(dirname(m.path)) || m.name;
}

import { resolve } from 'node:path';
import { toApiErrorShape, type ApiErrorShape } from '../../api/errors';
import type { MediaInfo } from '../media/types';
import type { Rational } from '../util/rational';
import { quickHashFile, quickHashImageSequence, type ContentHash, type MediaRef, type Project } from '../project';

/** Probes a path; `fps` is the rate an image sequence plays at (images carry none). */
export type Probe = (path: string, fps?: Rational) => Promise<MediaInfo>;

export interface ImportResult {
  imported: MediaRef[];
  failed: { path: string; error: ApiErrorShape }[];
  /** What the probe said about media that came in changed or assumed (a gap in a sequence, a guessed rate, VFR). */
  warnings: { path: string; warning: string }[];
}

/** Files probed at once: ffprobe is I/O bound, and a card dump can be hundreds of files. */
const CONCURRENCY = 4;

/** The content hash that finds the media again if it moves: of the file, or of the sequence's frames. */
function hashOf(info: MediaInfo): Promise<ContentHash> {
  const source = info.source;
  return source.kind === 'file' ? quickHashFile(source.path) : quickHashImageSequence(source.pattern, source.numbers);
}

/**
 * Imports files into the project's media pool: probe (what is it: codec, size, rate, colour)
 * and content-hash (to find it again if it moves) each, then add them all as one undo step.
 * A file that cannot be read is reported with its reason and the rest still come in, as in
 * any NLE's import. Probing happens before the edit because edits are synchronous.
 */
export async function importMedia(project: Project, paths: readonly string[], probe: Probe): Promise<ImportResult> {
  const unique = [...new Set(paths.map((p) => resolve(p)))];
  const results = new Array<{ info: MediaInfo; hash: ContentHash } | { error: ApiErrorShape }>(unique.length);
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const i = next++;
      try {
        const info = await probe(unique[i]);
        results[i] = { info, hash: await hashOf(info) };
      } catch (e) {
        results[i] = { error: toApiErrorShape(e) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, unique.length) }, worker));

  const failed: ImportResult['failed'] = [];
  const ok: { path: string; info: MediaInfo; hash: ContentHash }[] = [];
  results.forEach((r, i) => ('error' in r ? failed.push({ path: unique[i], error: r.error }) : ok.push({ path: unique[i], ...r })));
  const imported: MediaRef[] = [];
  const warnings: ImportResult['warnings'] = [];
  if (ok.length) {
    project.batch(ok.length === 1 ? 'Import Media' : `Import ${ok.length} Media Files`, () => {
      for (const { path, info, hash } of ok) {
        try {
          imported.push(project.addMedia(info, hash));
          for (const warning of info.warnings ?? []) warnings.push({ path, warning });
        } catch (e) {
          // A refused entry changes nothing; the others still come in.
          failed.push({ path, error: toApiErrorShape(e) });
        }
      }
    });
  }
  return { imported, failed, warnings };
}

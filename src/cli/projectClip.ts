import type { Clip, ProjectDoc } from '../engine/project';
import { LacunaError } from '../engine/util/errors';

/** A clip by id, or by name when exactly one clip has it (names are what editors see). */
export function findClip(doc: ProjectDoc, ref: string): Clip {
  const clips = doc.sequences.flatMap((s) => s.tracks.flatMap((t) => t.clips));
  const byId = clips.find((c) => c.id === ref);
  if (byId) return byId;
  const byName = clips.filter((c) => c.name === ref);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw new LacunaError('BAD_ARGUMENT', `${byName.length} clips are named "${ref}"`, `Use the clip id instead: ${byName.map((c) => c.id).join(', ')}`);
  }
  throw new LacunaError('NOT_FOUND', `no clip "${ref}" in "${doc.name}"`, 'Run `lacuna project list <project>` to see clip ids and names.');
}

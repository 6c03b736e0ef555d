import { probeMedia } from '../../../src/engine/media/probe';
import { Project, quickHashFile, quickHashImageSequence, type MediaRef } from '../../../src/engine/project';
import type { Rational } from '../../../src/engine/util/rational';

/** A project media entry for a real file or image sequence, made as importing it would (probe + content hash). */
export async function mediaRefOf(path: string, fps?: Rational): Promise<MediaRef> {
  const info = await probeMedia(path, fps ? { fps } : {});
  const hash = info.source.kind === 'file' ? await quickHashFile(info.source.path) : await quickHashImageSequence(info.source.pattern, info.source.numbers);
  return Project.create({ name: 'media' }).addMedia(info, hash);
}

/** A media entry that names `path` as a file whatever it holds, as a crafted project could. */
export function craftedFileRef(like: MediaRef, path: string): MediaRef {
  return { ...like, path, name: 'crafted' } as MediaRef;
}

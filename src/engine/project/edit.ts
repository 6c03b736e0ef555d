import type { Clip, ProjectDoc, Sequence, Track } from './schema';

/**
 * Immutable updates along a path of the document. Each returns a new document that shares every
 * untouched object with the old one, which is what makes snapshot undo cheap (history.ts).
 */

export function replaceAt<T>(items: readonly T[], index: number, value: T): T[] {
  const out = items.slice();
  out[index] = value;
  return out;
}

export function removeAt<T>(items: readonly T[], index: number): T[] {
  return [...items.slice(0, index), ...items.slice(index + 1)];
}

export function updateSequence(doc: ProjectDoc, si: number, fn: (s: Sequence) => Sequence): ProjectDoc {
  return { ...doc, sequences: replaceAt(doc.sequences, si, fn(doc.sequences[si])) };
}

export function updateTrack(doc: ProjectDoc, si: number, ti: number, fn: (t: Track) => Track): ProjectDoc {
  return updateSequence(doc, si, (s) => ({ ...s, tracks: replaceAt(s.tracks, ti, fn(s.tracks[ti])) }));
}

export function updateClip(doc: ProjectDoc, si: number, ti: number, ci: number, fn: (c: Clip) => Clip): ProjectDoc {
  return updateTrack(doc, si, ti, (t) => ({ ...t, clips: replaceAt(t.clips, ci, fn(t.clips[ci])) }));
}

/** Inserts keeping timeline order (after any clip at the same position, so order is stable). */
export function insertClipSorted(clips: readonly Clip[], clip: Clip): Clip[] {
  let i = clips.length;
  while (i > 0 && clips[i - 1].position > clip.position) i--;
  return [...clips.slice(0, i), clip, ...clips.slice(i)];
}

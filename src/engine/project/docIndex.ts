import type { Clip, MediaRef, ProjectDoc, Sequence, Track } from './schema';

/**
 * Finds entities by id in immutable documents without re-indexing the whole document after
 * every edit. Each level (media list, sequence list, a sequence's tracks, a track's clips) is
 * indexed once per array object and cached against it: an edit replaces only the arrays on
 * its path, so after moving a clip only that track's clips are indexed again, however large
 * the project. Which track a clip (or sequence a track) is on is remembered as a hint, always
 * verified, with a scan of the per-track indexes as the fallback, so a stale hint costs time,
 * never a wrong answer.
 */
export interface ClipAt {
  si: number;
  ti: number;
  ci: number;
}

export interface TrackAt {
  si: number;
  ti: number;
}

function indexById<T extends { id: string }>(cache: WeakMap<readonly T[], Map<string, number>>, items: readonly T[]): Map<string, number> {
  let map = cache.get(items);
  if (!map) {
    map = new Map(items.map((x, i) => [x.id, i]));
    cache.set(items, map);
  }
  return map;
}

export class DocIndex {
  readonly #media = new WeakMap<readonly MediaRef[], Map<string, number>>();
  readonly #sequences = new WeakMap<readonly Sequence[], Map<string, number>>();
  readonly #tracks = new WeakMap<readonly Track[], Map<string, number>>();
  readonly #clips = new WeakMap<readonly Clip[], Map<string, number>>();
  /** clip id → track id, track id → sequence id: hints, verified on use. */
  readonly #clipHome = new Map<string, string>();
  readonly #trackHome = new Map<string, string>();

  media(doc: ProjectDoc, mediaId: string): number | undefined {
    return indexById(this.#media, doc.media).get(mediaId);
  }

  sequence(doc: ProjectDoc, sequenceId: string): number | undefined {
    return indexById(this.#sequences, doc.sequences).get(sequenceId);
  }

  track(doc: ProjectDoc, trackId: string): TrackAt | undefined {
    const hint = this.#trackHome.get(trackId);
    if (hint !== undefined) {
      const si = this.sequence(doc, hint);
      const ti = si === undefined ? undefined : indexById(this.#tracks, doc.sequences[si].tracks).get(trackId);
      if (si !== undefined && ti !== undefined) return { si, ti };
    }
    for (let si = 0; si < doc.sequences.length; si++) {
      const ti = indexById(this.#tracks, doc.sequences[si].tracks).get(trackId);
      if (ti !== undefined) {
        this.#trackHome.set(trackId, doc.sequences[si].id);
        return { si, ti };
      }
    }
    return undefined;
  }

  clip(doc: ProjectDoc, clipId: string): ClipAt | undefined {
    const hint = this.#clipHome.get(clipId);
    if (hint !== undefined) {
      const at = this.track(doc, hint);
      const ci = at && this.#clipsOf(doc.sequences[at.si].tracks[at.ti]).get(clipId);
      if (at && ci !== undefined) return { ...at, ci };
    }
    for (let si = 0; si < doc.sequences.length; si++) {
      const tracks = doc.sequences[si].tracks;
      for (let ti = 0; ti < tracks.length; ti++) {
        const ci = this.#clipsOf(tracks[ti]).get(clipId);
        if (ci !== undefined) {
          this.#clipHome.set(clipId, tracks[ti].id);
          return { si, ti, ci };
        }
      }
    }
    return undefined;
  }

  #clipsOf(track: Track): Map<string, number> {
    const fresh = !this.#clips.has(track.clips);
    const map = indexById(this.#clips, track.clips);
    // Indexing a track is the moment to learn where its clips live.
    if (fresh) for (const id of map.keys()) this.#clipHome.set(id, track.id);
    return map;
  }
}

/** Every id in a document, of any kind. */
export function allIds(doc: ProjectDoc): string[] {
  const ids = [doc.id];
  for (const m of doc.media) ids.push(m.id);
  for (const s of doc.sequences) {
    ids.push(s.id);
    for (const t of s.tracks) {
      ids.push(t.id);
      for (const c of t.clips) {
        ids.push(c.id);
        for (const k of c.takes) ids.push(k.id);
      }
    }
  }
  return ids;
}

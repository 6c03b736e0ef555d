import { equals, toString as rationalToString } from '../util/rational';
import { frameRunsProblem } from './imageSequence';
import type { Problem } from './problems';
import type { Clip, MediaRef, ProjectDoc, Sequence, Take, TrackKind } from './schema';
import { clipEnd, mediaFrameCount, mediaRate } from './timing';

/**
 * The rules a project document obeys beyond its shape: every reference resolves, ids are
 * unique, ranges are non-empty and inside their media, clips on a track do not overlap, and
 * every clip keeps its original take. A loaded file is checked against them all (validate.ts);
 * `Project` operations check the few each one could break, with the helpers below, and the
 * tests run the full check after every operation.
 */

/** Why media of this kind cannot sit on a track of `kind`, or null if it can. */
export function trackMediaProblem(kind: TrackKind, media: MediaRef): string | null {
  if (kind === 'video' && media.kind === 'file' && !media.probe.video) {
    return `"${media.name}" has no picture, so it cannot go on a video track`;
  }
  if (kind === 'audio' && (media.kind === 'imageSequence' || media.probe.audio.length === 0)) {
    return `"${media.name}" has no sound, so it cannot go on an audio track`;
  }
  return null;
}

/** Why `[sourceIn, sourceOut)` is not a usable range of `media`, or null. */
export function sourceRangeProblem(sourceIn: number, sourceOut: number, media: MediaRef, sequence: Pick<Sequence, 'fps'>): string | null {
  if (!Number.isInteger(sourceIn) || !Number.isInteger(sourceOut)) return `source frames must be whole numbers, got ${sourceIn}..${sourceOut}`;
  if (sourceIn < 0) return `sourceIn must be ≥ 0, got ${sourceIn}`;
  if (sourceOut <= sourceIn) return `sourceOut (${sourceOut}) must be greater than sourceIn (${sourceIn})`;
  const count = mediaFrameCount(media, mediaRate(media, sequence));
  if (sourceOut > count) return `sourceOut ${sourceOut} is past the end of "${media.name}", which has ${count} frames`;
  return null;
}

/**
 * The original-media frames a take can show, half-open. The original covers all of its media;
 * a generated take covers its own frames, offset by `sourceStart`.
 */
export function takeCoverage(take: Take, takeMedia: MediaRef, sequence: Pick<Sequence, 'fps'>): { start: number; end: number } {
  const count = mediaFrameCount(takeMedia, mediaRate(takeMedia, sequence));
  const start = take.kind === 'generated' ? take.sourceStart : 0;
  return { start, end: start + count };
}

/** Why `take` cannot be the one shown for the clip's current range, or null. */
export function takeCoverageProblem(
  take: Take,
  takeMedia: MediaRef,
  clip: Pick<Clip, 'sourceIn' | 'sourceOut'>,
  sequence: Pick<Sequence, 'fps'>,
): string | null {
  const c = takeCoverage(take, takeMedia, sequence);
  if (c.start <= clip.sourceIn && clip.sourceOut <= c.end) return null;
  return (
    `take "${take.label}" covers source frames ${c.start}..${c.end} but the clip uses ${clip.sourceIn}..${clip.sourceOut}; ` +
    'use a take that covers the whole clip (or trim the clip to the take)'
  );
}

/** Why `takeMedia` cannot be a generated take of a clip of `clipMedia`, or null. */
export function takeMediaProblem(takeMedia: MediaRef, clipMedia: MediaRef, sequence: Pick<Sequence, 'fps'>): string | null {
  if (takeMedia.kind === 'file' && !takeMedia.probe.video) return `take media "${takeMedia.name}" has no picture`;
  const a = mediaRate(takeMedia, sequence);
  const b = mediaRate(clipMedia, sequence);
  if (!equals(a, b)) {
    return (
      `take media "${takeMedia.name}" runs at ${rationalToString(a)} fps but the clip's media at ${rationalToString(b)} fps; ` +
      'a take must be frame-aligned with its original'
    );
  }
  return null;
}

/** Checks every rule; returns all problems found (empty when the document is sound). */
export function checkInvariants(doc: ProjectDoc): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  const claim = (id: string, path: Array<string | number>) => {
    const where = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/^\./, '');
    const prior = seen.get(id);
    if (prior !== undefined) problems.push({ path: [...path, 'id'], message: `duplicate id "${id}" (also used by ${prior})` });
    else seen.set(id, where);
  };

  const media = new Map<string, MediaRef>();
  doc.media.forEach((m, i) => {
    claim(m.id, ['media', i]);
    media.set(m.id, m);
    if (m.kind === 'imageSequence') {
      const p = frameRunsProblem(m.numberRuns);
      if (p) problems.push({ path: ['media', i, 'numberRuns'], message: p });
    }
  });

  doc.sequences.forEach((seq, si) => {
    claim(seq.id, ['sequences', si]);
    seq.tracks.forEach((track, ti) => {
      const tPath = ['sequences', si, 'tracks', ti];
      claim(track.id, tPath);
      let prevEnd = 0;
      let prevIndex = -1;
      track.clips.forEach((clip, ci) => {
        const cPath = [...tPath, 'clips', ci];
        claim(clip.id, cPath);
        const m = media.get(clip.mediaId);
        if (!m) {
          problems.push({ path: [...cPath, 'mediaId'], message: `no media with id "${clip.mediaId}"` });
          return;
        }
        const kindProblem = trackMediaProblem(track.kind, m);
        if (kindProblem) problems.push({ path: [...cPath, 'mediaId'], message: kindProblem });
        const rangeProblem = sourceRangeProblem(clip.sourceIn, clip.sourceOut, m, seq);
        if (rangeProblem) {
          problems.push({ path: [...cPath, 'sourceOut'], message: rangeProblem });
          return;
        }
        if (prevIndex >= 0 && clip.position < prevEnd) {
          const prev = track.clips[prevIndex];
          problems.push({
            path: [...cPath, 'position'],
            message:
              clip.position < prev.position
                ? `clips must be in timeline order, but ${clip.position} comes before clips[${prevIndex}] at ${prev.position}`
                : `overlaps clips[${prevIndex}] ("${prev.name}"), which ends at frame ${prevEnd}`,
          });
        }
        prevEnd = Math.max(prevEnd, clipEnd(clip, m, seq));
        prevIndex = ci;
        checkTakes(clip, cPath, m, media, seq, track.kind, problems, claim);
      });
    });
  });
  return problems;
}

function checkTakes(
  clip: Clip,
  cPath: Array<string | number>,
  clipMedia: MediaRef,
  media: Map<string, MediaRef>,
  seq: Sequence,
  trackKind: TrackKind,
  problems: Problem[],
  claim: (id: string, path: Array<string | number>) => void,
): void {
  let active: { take: Take; media: MediaRef } | null = null;
  clip.takes.forEach((take, ki) => {
    const kPath = [...cPath, 'takes', ki];
    claim(take.id, kPath);
    if (ki === 0 && take.kind !== 'original') {
      problems.push({ path: [...kPath, 'kind'], message: 'the first take must be the original' });
    }
    if (ki > 0 && take.kind === 'original') {
      problems.push({ path: [...kPath, 'kind'], message: 'a clip has exactly one original take, the first' });
    }
    if (take.kind === 'original' && take.mediaId !== clip.mediaId) {
      problems.push({
        path: [...kPath, 'mediaId'],
        message: `the original take must use the clip's media "${clip.mediaId}", got "${take.mediaId}"`,
      });
      return;
    }
    const tm = media.get(take.mediaId);
    if (!tm) {
      problems.push({ path: [...kPath, 'mediaId'], message: `no media with id "${take.mediaId}"` });
      return;
    }
    if (take.kind === 'generated') {
      const p = trackMediaProblem(trackKind, tm) ?? takeMediaProblem(tm, clipMedia, seq);
      if (p) problems.push({ path: [...kPath, 'mediaId'], message: p });
      if (take.matteMediaId !== undefined) {
        const mm = media.get(take.matteMediaId);
        if (!mm) problems.push({ path: [...kPath, 'matteMediaId'], message: `no media with id "${take.matteMediaId}"` });
        else {
          const mp = takeMediaProblem(mm, clipMedia, seq);
          if (mp) problems.push({ path: [...kPath, 'matteMediaId'], message: mp });
        }
      }
    }
    if (take.id === clip.activeTakeId) active = { take, media: tm };
  });
  if (!clip.takes.some((t) => t.id === clip.activeTakeId)) {
    problems.push({ path: [...cPath, 'activeTakeId'], message: `no take with id "${clip.activeTakeId}" in this clip` });
  } else if (active) {
    const { take, media: tm } = active as { take: Take; media: MediaRef };
    const p = takeCoverageProblem(take, tm, clip, seq);
    if (p) problems.push({ path: [...cPath, 'activeTakeId'], message: p });
  }
}

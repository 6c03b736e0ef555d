import { basename } from 'node:path';
import { clipDuration, mediaFrameCount, mediaRate, type Clip, type MediaRef, type ProjectDoc, type Sequence } from '../project';
import { LacunaError } from '../util/errors';
import type { IxClip, IxMedia, IxTimeline, IxTrack } from './model';
import { timecodeFrames } from './rates';

/**
 * A project sequence as the interchange timeline: each clip shows its active take (the rendered
 * media, with its own rate, timecode and length), with the original media and the matte beside
 * it for the formats that can hold them. Nothing here knows a file format.
 */

/** The sequence to export: by id or name, or the project's only/first one. */
export function pickSequence(doc: ProjectDoc, ref?: string): Sequence {
  if (!doc.sequences.length) throw new LacunaError('BAD_ARGUMENT', `"${doc.name}" has no sequence to export`);
  if (ref === undefined) return doc.sequences[0];
  const s = doc.sequences.find((q) => q.id === ref) ?? doc.sequences.find((q) => q.name === ref);
  if (!s) {
    throw new LacunaError('NOT_FOUND', `no sequence "${ref}" in "${doc.name}"`, `Its sequences: ${doc.sequences.map((q) => `${q.id} (${q.name})`).join(', ')}`);
  }
  return s;
}

/** The interchange view of a media entry (rate, length and timecode from its stored probe). */
export function ixMediaOf(media: MediaRef, sequence: Pick<Sequence, 'fps'>): IxMedia {
  const rate = mediaRate(media, sequence);
  const tc = timecodeFrames(media.probe.startTimecode, rate);
  const v = media.probe.video;
  const a = media.probe.audio[0];
  return {
    name: media.kind === 'file' ? basename(media.path) : media.name,
    path: media.path,
    rate,
    frames: mediaFrameCount(media, rate),
    startFrame: tc?.frames ?? 0,
    dropFrame: tc?.dropFrame ?? false,
    video: v ? { width: v.displayWidth, height: v.displayHeight } : media.kind === 'imageSequence' ? { width: 0, height: 0 } : null,
    audio: a ? { channels: a.channels, sampleRate: a.sampleRate } : null,
    hash: media.hash,
  };
}

function clipOf(doc: ProjectDoc, sequence: Sequence, clip: Clip, media: (id: string) => IxMedia): IxClip {
  const mediaRef = doc.media.find((m) => m.id === clip.mediaId)!;
  const take = clip.takes.find((t) => t.id === clip.activeTakeId)!;
  const original = { media: media(clip.mediaId), sourceIn: clip.sourceIn, sourceOut: clip.sourceOut };
  const base = { name: clip.name, position: clip.position, duration: clipDuration(clip, mediaRef, sequence) };
  if (take.kind === 'original') return { ...base, shown: original };
  const shown = { media: media(take.mediaId), sourceIn: clip.sourceIn - take.sourceStart, sourceOut: clip.sourceOut - take.sourceStart };
  return {
    ...base,
    shown,
    original,
    take: { label: take.label, params: structuredClone(take.params), sourceStart: take.sourceStart },
    ...(take.matteMediaId !== undefined && { matte: { ...shown, media: media(take.matteMediaId) } }),
  };
}

/** The sequence as an interchange timeline (media paths absolute, as in memory). */
export function projectToTimeline(doc: ProjectDoc, sequence: Sequence): IxTimeline {
  const cache = new Map<string, IxMedia>();
  const media = (id: string): IxMedia => {
    let m = cache.get(id);
    if (!m) {
      const ref = doc.media.find((x) => x.id === id);
      if (!ref) throw new Error(`media ${id} missing from a validated project`);
      m = ixMediaOf(ref, sequence);
      cache.set(id, m);
    }
    return m;
  };
  const order = (t: { kind: string }) => (t.kind === 'video' ? 0 : 1);
  const tracks: IxTrack[] = [...sequence.tracks]
    .sort((a, b) => order(a) - order(b))
    .map((t) => ({ kind: t.kind, name: t.name, clips: t.clips.map((c) => clipOf(doc, sequence, c, media)) }));
  return {
    name: sequence.name,
    rate: sequence.fps,
    startTimecode: sequence.startTimecode,
    width: sequence.size.width,
    height: sequence.size.height,
    sampleRate: sequence.sampleRate,
    tracks,
  };
}

/**
 * The timeline as it was before any removal: every clip shows its original media over the same
 * range (no take, no matte), for an editor who wants to hand the untouched cut over.
 */
export function originalsOnly(timeline: IxTimeline): IxTimeline {
  return {
    ...timeline,
    tracks: timeline.tracks.map((t) => ({
      ...t,
      clips: t.clips.map(({ original, take: _t, matte: _m, ...c }) => (original ? { ...c, shown: original } : c)),
    })),
  };
}

/** Replaces media files (a render in another codec, say) throughout the timeline, by path. */
export function replaceMedia(timeline: IxTimeline, replace: (m: IxMedia) => IxMedia): IxTimeline {
  const swap = <U extends { media: IxMedia } | undefined>(u: U): U => (u ? { ...u, media: replace(u.media) } : u);
  return {
    ...timeline,
    tracks: timeline.tracks.map((t) => ({
      ...t,
      clips: t.clips.map((c) => ({ ...c, shown: swap(c.shown), original: swap(c.original), matte: swap(c.matte) })),
    })),
  };
}

import { existsSync } from 'node:fs';
import type { ProjectDto, TakeDto } from '../../api/schemas/project';
import { firstFrameNumber, frameFileName } from '../project/imageSequence';
import type { Project } from '../project/project';
import type { MediaRef, ProbeSummary, Take } from '../project/schema';
import { clipDuration, mediaRate } from '../project/timing';
import { linkedClips } from '../timeline/links';
import { playbackFor } from './media/playability';

/**
 * The project as the renderer sees it (src/api/schemas/project.ts). The API has its own shapes
 * rather than exposing the document: the renderer gets resolved facts (a take's path, whether
 * the file is there, how to play it) and the document can evolve without breaking the UI.
 */

/** Whether the media's file (the first frame, for a sequence) exists right now. */
export function isMediaOnline(media: MediaRef): boolean {
  if (media.kind === 'file') return existsSync(media.path);
  return existsSync(frameFileName(media.path, firstFrameNumber(media.numberRuns)));
}

function infoDto(probe: ProbeSummary): ProjectDto['media'][number]['info'] {
  const v = probe.video;
  return {
    container: probe.container,
    duration: probe.duration,
    fileSize: probe.fileSize,
    startTimecode: probe.startTimecode,
    video: v && {
      codec: v.codec,
      width: v.width,
      height: v.height,
      displayWidth: v.displayWidth,
      displayHeight: v.displayHeight,
      rotation: v.rotation,
      fps: v.fps,
      variableFrameRate: v.variableFrameRate,
      frameCount: v.frameCount,
      pixelFormat: v.pixelFormat,
      bitDepth: v.bitDepth,
      colour: v.colour,
      hasAlpha: v.hasAlpha,
    },
    audio: probe.audio.map((a) => ({ codec: a.codec, sampleRate: a.sampleRate, channels: a.channels, channelLayout: a.channelLayout })),
  };
}

export function toProjectDto(project: Project, options: { online?: (m: MediaRef) => boolean } = {}): ProjectDto {
  const online = options.online ?? isMediaOnline;
  const doc = project.doc;
  // Render outputs (media only generated takes use) are listed apart from what the user imported.
  const takeMedia = new Set<string>();
  const clipMedia = new Set<string>();
  for (const s of doc.sequences) {
    for (const t of s.tracks) {
      for (const c of t.clips) {
        clipMedia.add(c.mediaId);
        for (const k of c.takes) if (k.kind === 'generated') takeMedia.add(k.mediaId);
      }
    }
  }

  const mediaById = new Map<string, { ref: MediaRef; online: boolean; playback: 'native' | 'proxy' }>();
  for (const m of doc.media) {
    mediaById.set(m.id, { ref: m, online: online(m), playback: playbackFor({ kind: m.kind, ...m.probe }) });
  }

  const take = (k: Take): TakeDto => {
    const m = mediaById.get(k.mediaId)!;
    const dto: TakeDto = {
      id: k.id,
      label: k.label,
      kind: k.kind,
      mediaId: k.mediaId,
      path: m.ref.path,
      playback: m.playback,
      online: m.online,
      createdAt: k.created,
    };
    if (k.kind === 'generated') {
      dto.engine = k.params.engine;
      if (k.params.expression !== undefined) dto.expression = k.params.expression;
      if (k.jobId !== undefined) dto.jobId = k.jobId;
      dto.sourceStart = k.sourceStart;
      if (k.matteMediaId !== undefined) {
        dto.matteMediaId = k.matteMediaId;
        dto.mattePath = mediaById.get(k.matteMediaId)?.ref.path;
      }
    }
    return dto;
  };

  return {
    id: doc.id,
    name: doc.name,
    path: project.path,
    dirty: project.dirty,
    history: project.history,
    media: doc.media.map((m) => {
      const v = mediaById.get(m.id)!;
      return {
        id: m.id,
        kind: m.kind,
        name: m.name,
        path: m.path,
        info: infoDto(m.probe),
        playback: v.playback,
        online: v.online,
        role: takeMedia.has(m.id) && !clipMedia.has(m.id) ? 'take' : 'source',
      };
    }),
    sequences: doc.sequences.map((s) => ({
      id: s.id,
      name: s.name,
      fps: s.fps,
      width: s.size.width,
      height: s.size.height,
      startTimecode: s.startTimecode,
      tracks: s.tracks.map((t) => ({
        id: t.id,
        kind: t.kind,
        name: t.name,
        clips: t.clips.map((c) => ({
          id: c.id,
          name: c.name,
          mediaId: c.mediaId,
          sourceIn: c.sourceIn,
          sourceOut: c.sourceOut,
          position: c.position,
          duration: clipDuration(c, mediaById.get(c.mediaId)!.ref, s),
          takes: c.takes.map(take),
          activeTakeId: c.activeTakeId,
          sourceFps: mediaRate(mediaById.get(c.mediaId)!.ref, s),
          linkedClipIds: linkedClips(s, c.id).map((l) => l.clip.id),
        })),
      })),
    })),
  };
}

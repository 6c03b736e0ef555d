import { basename, resolve } from 'node:path';
import type { MediaInfo } from '../media/types';
import { LacunaError } from '../util/errors';
import { firstFrameNumber, lastFrameNumber, sequenceMediaName, toFrameRuns } from './imageSequence';
import { formatProblems, problemsFromZod } from './problems';
import { ContentHashSchema, MediaRefSchema, type ContentHash, type MediaRef, type ProbeSummary } from './schema';

/**
 * Turns a probe (media/types.ts MediaInfo) into the project's media entry: the facts an NLE
 * export needs, kept so exports and timeline maths work while the media is offline. Probe
 * values that mean "unknown" (a 0:1 sample aspect, an audio stream without channels) are
 * normalised here rather than stored, so the document never holds a value nobody can use.
 */

function normaliseRotation(deg: number): number {
  return ((Math.round(deg) % 360) + 360) % 360;
}

function summarise(info: MediaInfo): ProbeSummary {
  const v = info.video;
  return {
    ...(info.container !== undefined && { container: info.container }),
    duration: info.duration,
    ...(info.startTimecode !== undefined && { startTimecode: info.startTimecode }),
    ...(info.fileSize !== undefined && { fileSize: info.fileSize }),
    video: v && {
      codec: v.codec,
      width: v.width,
      height: v.height,
      displayWidth: v.displayWidth,
      displayHeight: v.displayHeight,
      // ffprobe says 0:1 when the container does not know; square pixels is what players assume.
      sampleAspect: v.sampleAspect.num > 0 && v.sampleAspect.den > 0 ? { num: v.sampleAspect.num, den: v.sampleAspect.den } : { num: 1, den: 1 },
      rotation: normaliseRotation(v.rotation) as 0 | 90 | 180 | 270,
      fps: { num: v.fps.num, den: v.fps.den },
      variableFrameRate: v.variableFrameRate,
      frameCount: v.frameCount,
      startTime: v.startTime,
      pixelFormat: v.pixelFormat,
      bitDepth: v.bitDepth,
      colour: { ...v.colour },
      hasAlpha: v.hasAlpha,
    },
    // A stream without rate or channels cannot be placed or played: it is not usable audio.
    audio: info.audio
      .filter((a) => a.sampleRate > 0 && a.channels > 0)
      .map((a) => ({
        index: a.index,
        codec: a.codec,
        sampleRate: a.sampleRate,
        channels: a.channels,
        ...(a.channelLayout !== undefined && { channelLayout: a.channelLayout }),
        duration: a.duration,
        startTime: a.startTime,
      })),
  };
}

/** Builds a validated media entry; `path`s come out absolute (resolved against the cwd if not). */
export function mediaRefFromInfo(info: MediaInfo, hash: ContentHash, id: string): MediaRef {
  const hashCheck = ContentHashSchema.safeParse(hash);
  if (!hashCheck.success) {
    throw new LacunaError('BAD_ARGUMENT', `invalid content hash for ${info.path}:\n${formatProblems(problemsFromZod(hashCheck.error, hash))}`);
  }
  if (info.source.kind === 'file' && info.fileSize !== undefined && info.fileSize !== hash.size) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `the content hash covers ${hash.size} bytes but ${info.path} has ${info.fileSize}`,
      'Hash the same file that was probed (it may have changed in between).',
    );
  }
  const probe = summarise(info);
  let candidate: unknown;
  if (info.source.kind === 'file') {
    const path = resolve(info.source.path);
    candidate = { id, kind: 'file', name: basename(path), path, probe, hash };
  } else {
    let numberRuns;
    try {
      numberRuns = toFrameRuns(info.source.numbers);
    } catch (e) {
      throw new LacunaError('BAD_ARGUMENT', `image sequence ${info.source.pattern}: ${(e as Error).message}`);
    }
    if (numberRuns.length === 0) throw new LacunaError('BAD_ARGUMENT', `image sequence ${info.source.pattern} has no frames`);
    const path = resolve(info.source.pattern);
    const name = sequenceMediaName(path, firstFrameNumber(numberRuns), lastFrameNumber(numberRuns));
    candidate = { id, kind: 'imageSequence', name, path, numberRuns, fps: { num: info.source.fps.num, den: info.source.fps.den }, probe, hash };
  }
  const parsed = MediaRefSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `the probe of ${info.path} cannot be used:\n${formatProblems(problemsFromZod(parsed.error, candidate))}`,
      'Probe the media again; if it still fails, the file may be damaged or of a kind Lacuna does not support.',
    );
  }
  return parsed.data;
}

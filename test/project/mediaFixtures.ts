import { createHash } from 'node:crypto';
import type { AudioStreamInfo, MediaInfo, VideoStreamInfo } from '../../src/engine/media/types';
import type { ContentHash } from '../../src/engine/project';
import type { Rational } from '../../src/engine/util/rational';

// MediaInfo objects shaped exactly like the media engine's probe results, built without
// ffmpeg. No vitest imports here: the crash-test child process uses these too.

/** MediaInfo as the media engine's probe returns it, for a video file with optional sound. */
export function videoInfo(
  path: string,
  o: { fps?: Rational; frames?: number; width?: number; height?: number; audio?: boolean; fileSize?: number; timecode?: string } = {},
): MediaInfo {
  const fps = o.fps ?? { num: 24, den: 1 };
  const frames = o.frames ?? 240;
  const duration = (frames * fps.den) / fps.num;
  const video: VideoStreamInfo = {
    index: 0,
    codec: 'h264',
    profile: 'High',
    width: o.width ?? 1920,
    height: o.height ?? 1080,
    displayWidth: o.width ?? 1920,
    displayHeight: o.height ?? 1080,
    sampleAspect: { num: 1, den: 1 },
    rotation: 0,
    fps,
    variableFrameRate: false,
    timeBase: { num: 1, den: 12800 },
    frameCount: frames,
    duration,
    startTime: 0,
    pixelFormat: 'yuv420p',
    bitDepth: 8,
    colour: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' },
    hasAlpha: false,
  };
  const audio: AudioStreamInfo[] = o.audio === false ? [] : [stereo(1, duration)];
  return {
    source: { kind: 'file', path },
    path,
    container: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration,
    ...(o.timecode && { startTimecode: o.timecode }),
    video,
    audio,
    ...(o.fileSize !== undefined && { fileSize: o.fileSize }),
  };
}

function stereo(index: number, duration: number): AudioStreamInfo {
  return { index, codec: 'aac', sampleRate: 48000, channels: 2, channelLayout: 'stereo', duration, startTime: 0 };
}

export function audioInfo(path: string, seconds = 10): MediaInfo {
  return { source: { kind: 'file', path }, path, container: 'wav', duration: seconds, video: null, audio: [stereo(0, seconds)] };
}

export function imageSequenceInfo(pattern: string, numbers: number[], fps: Rational = { num: 24, den: 1 }): MediaInfo {
  const base = videoInfo(pattern, { fps, frames: numbers.length, audio: false });
  return { ...base, source: { kind: 'imageSequence', pattern, numbers, fps }, container: 'image2', video: { ...base.video!, codec: 'exr', pixelFormat: 'gbrpf32le', bitDepth: 32 } };
}

/** A well-formed hash that no real file has: for tests that never touch the disk. */
export function fakeHash(seed: string, size = 1000): ContentHash {
  return { algorithm: 'lacuna-quick-sha256', value: createHash('sha256').update(seed).digest('hex'), size };
}

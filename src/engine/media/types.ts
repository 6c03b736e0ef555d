import type { Rational } from '../util/rational';

/**
 * Where frames come from. A file is anything ffmpeg reads; an image sequence is a printf
 * pattern (ffmpeg's convention, e.g. `/shots/a/%05d.jpg`) plus the frame numbers it covers and a
 * frame rate the user sets (image files carry none).
 */
export type MediaSource =
  | { kind: 'file'; path: string }
  | {
      kind: 'imageSequence';
      /** printf pattern with one %d / %0Nd, absolute. */
      pattern: string;
      /** Frame numbers in the file names, ascending; gaps allowed (every 5th frame, say). */
      numbers: number[];
      fps: Rational;
    };

export interface ColourInfo {
  primaries?: string; // e.g. bt709
  transfer?: string; // e.g. bt709, smpte2084, arib-std-b67
  matrix?: string; // e.g. bt709, bt470bg
  range?: 'tv' | 'pc';
}

export interface VideoStreamInfo {
  index: number;
  codec: string;
  profile?: string;
  width: number; // coded width as stored
  height: number;
  /** Width/height as shown: rotation applied, sample aspect ratio applied to the width. */
  displayWidth: number;
  displayHeight: number;
  sampleAspect: Rational;
  /** Degrees clockwise the picture must be turned to stand upright (0, 90, 180, 270). */
  rotation: number;
  fps: Rational;
  /** True when average and nominal rates differ: variable frame rate, conformed on decode. */
  variableFrameRate: boolean;
  timeBase: Rational;
  frameCount: number;
  duration: number; // seconds
  startTime: number; // seconds, first presentation time
  pixelFormat: string;
  bitDepth: number;
  colour: ColourInfo;
  hasAlpha: boolean;
}

export interface AudioStreamInfo {
  index: number;
  codec: string;
  sampleRate: number;
  channels: number;
  channelLayout?: string;
  duration: number;
  startTime: number;
}

export interface MediaInfo {
  source: MediaSource;
  /** Human-facing name: the file path or the sequence pattern. */
  path: string;
  container?: string;
  duration: number; // seconds
  /** SMPTE start timecode from the container/stream tags (e.g. "01:00:00:00"), if any. */
  startTimecode?: string;
  video: VideoStreamInfo | null;
  audio: AudioStreamInfo[];
  fileSize?: number;
  /**
   * Facts a person should be told about this probe: an image sequence's frame rate that was
   * assumed rather than given, a variable frame rate that will be conformed. Absent when none.
   */
  warnings?: string[];
}

/** One decoded frame: packed RGB24 (or gray8 for mattes), top row first. */
export interface Frame {
  /** 0-based index within the decoded range. */
  index: number;
  /** Index within the whole source (range start + index). */
  sourceIndex: number;
  /** Presentation time in seconds from the source's start, exact. */
  time: Rational;
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

/** A half-open frame range [start, end) in source frame indices. */
export interface FrameRange {
  start: number;
  end: number;
}

export type DeliveryCodec = 'h264' | 'hevc' | 'prores_hq' | 'dnxhr_hq';

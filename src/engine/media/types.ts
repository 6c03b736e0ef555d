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

/**
 * Planar YUV layouts a frame can carry: the delivery codecs' own pixel formats (CODEC_PROFILES),
 * in ffmpeg's rawvideo layout (Y plane, then U, then V; top row first; 10-bit samples as 16-bit
 * little-endian). Frames in these exist so a transcode can go from decoder to encoder in the
 * stream's own YUV, with no colour conversion either way.
 */
export const YUV_FORMATS = ['yuv420p', 'yuv422p', 'yuv422p10le'] as const;
export type YuvFormat = (typeof YUV_FORMATS)[number];

/** Every layout a frame can have: packed RGB24, gray8 (mattes), or a planar YUV format. */
export type FramePixelFormat = 'rgb24' | 'gray' | YuvFormat;

/** Chroma subsampling (horizontal, vertical) and bytes per sample of each YUV format. */
const YUV_LAYOUT: Record<YuvFormat, { sx: number; sy: number; bytesPerSample: number }> = {
  yuv420p: { sx: 2, sy: 2, bytesPerSample: 1 },
  yuv422p: { sx: 2, sy: 1, bytesPerSample: 1 },
  yuv422p10le: { sx: 2, sy: 1, bytesPerSample: 2 },
};

export function isYuvFormat(format: string): format is YuvFormat {
  return (YUV_FORMATS as readonly string[]).includes(format);
}

/**
 * Bytes of one frame of `format` as ffmpeg's rawvideo writes and reads it. Chroma planes of an
 * odd size round up (ffmpeg's AV_CEIL_RSHIFT), with no row padding.
 */
export function frameBytes(format: FramePixelFormat, width: number, height: number): number {
  if (format === 'rgb24') return width * height * 3;
  if (format === 'gray') return width * height;
  const { sx, sy, bytesPerSample } = YUV_LAYOUT[format];
  return (width * height + 2 * Math.ceil(width / sx) * Math.ceil(height / sy)) * bytesPerSample;
}

/**
 * One decoded frame, top row first: packed RGB24 (or gray8 for mattes) unless `yuv` names a
 * planar layout. RGB/gray is what everything that looks at pixels works on (the removal engines,
 * masks, detection) and stays the default; `yuv` is an optional marker rather than a new pixel
 * union so none of those users changes: they never ask for YUV frames, and a frame without the
 * marker means exactly what it always did.
 */
export interface Frame {
  /** 0-based index within the decoded range. */
  index: number;
  /** Index within the whole source (range start + index). */
  sourceIndex: number;
  /** Presentation time in seconds from the source's start, exact. */
  time: Rational;
  width: number;
  height: number;
  /** Colour components: 1 for gray, 3 for RGB and for YUV (whose planes differ in size). */
  channels: 1 | 3;
  /** Set on planar YUV frames (then `channels` is 3); absent on packed RGB24/gray frames. */
  yuv?: YuvFormat;
  data: Uint8Array;
}

/** The layout of a frame's `data`. */
export function framePixelFormat(frame: Frame): FramePixelFormat {
  return frame.yuv ?? (frame.channels === 1 ? 'gray' : 'rgb24');
}

/** A half-open frame range [start, end) in source frame indices. */
export interface FrameRange {
  start: number;
  end: number;
}

export type DeliveryCodec = 'h264' | 'hevc' | 'prores_hq' | 'dnxhr_hq';


/**
 * Whether Chromium (Electron's renderer) can decode a file itself, or the host must transcode a
 * preview. Chromium ships a fixed set of software decoders: H.264 (8-bit 4:2:0 only), VP8, VP9,
 * AV1; HEVC only through the OS's hardware decoder, which Electron uses on macOS and Windows but
 * not Linux. Editors' intermediates (ProRes, DNxHR, 10-bit or 4:2:2 H.264) always need a proxy.
 */
export type Playback = 'native' | 'proxy';

/**
 * The facts the decision needs. Both a fresh probe (media/types.ts MediaInfo, with
 * `kind: info.source.kind`) and a project's stored ProbeSummary provide them.
 */
export interface PlayabilityFacts {
  kind: 'file' | 'imageSequence';
  container?: string;
  video: { codec: string; pixelFormat: string; hasAlpha: boolean } | null;
  audio: readonly { codec: string }[];
}

const NATIVE_CONTAINERS = ['mov', 'mp4', 'm4a', 'matroska', 'webm', 'ogg'];
const NATIVE_AUDIO = new Set(['aac', 'mp3', 'opus', 'vorbis', 'flac']);
/** 4:2:0 pixel formats Chromium's decoders output (8-bit, and 10-bit for VP9/AV1/HEVC). */
const YUV420_8 = new Set(['yuv420p', 'yuvj420p', 'nv12']);
const YUV420_10 = new Set(['yuv420p10le', 'p010le']);

export function playbackFor(info: PlayabilityFacts, platform: NodeJS.Platform = process.platform): Playback {
  if (info.kind !== 'file') return 'proxy'; // image sequences have no container to stream
  const container = info.container ?? '';
  if (!NATIVE_CONTAINERS.some((c) => container.split(',').includes(c))) return 'proxy';
  if (info.audio.some((a) => !NATIVE_AUDIO.has(a.codec))) return 'proxy';
  const v = info.video;
  if (!v) return 'native';
  if (v.hasAlpha) return 'proxy';
  switch (v.codec) {
    case 'h264':
      return YUV420_8.has(v.pixelFormat) ? 'native' : 'proxy';
    case 'vp8':
      return 'native';
    case 'vp9':
    case 'av1':
      return YUV420_8.has(v.pixelFormat) || YUV420_10.has(v.pixelFormat) ? 'native' : 'proxy';
    case 'hevc':
      return platform !== 'linux' && (YUV420_8.has(v.pixelFormat) || YUV420_10.has(v.pixelFormat)) ? 'native' : 'proxy';
    default:
      return 'proxy';
  }
}

/** Content-Type for natively played files; Chromium sniffs the container, this only guides it. */
export function contentTypeFor(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  switch (ext) {
    case 'webm':
      return 'video/webm';
    case 'mkv':
      return 'video/x-matroska';
    case 'ogg':
    case 'ogv':
      return 'video/ogg';
    case 'm4a':
      return 'audio/mp4';
    case 'mp3':
      return 'audio/mpeg';
    case 'wav':
      return 'audio/wav';
    default:
      // .mov holding H.264 plays when announced as MP4 (same ISO base media format).
      return 'video/mp4';
  }
}

import { extname } from 'node:path';
import { LacunaError } from '../util/errors';
import type { DeliveryCodec, YuvFormat } from './types';

/**
 * What each delivery codec means in ffmpeg terms, and which containers take it. Delivery codecs
 * (H.264, HEVC) get visually transparent constant-quality settings; editing codecs (ProRes 422
 * HQ, DNxHR HQ) are intraframe at their full-quality profiles, in the pixel formats NLEs expect.
 */

export type Container = 'mov' | 'mp4' | 'mkv' | 'mxf';

export interface CodecProfile {
  label: string;
  /** A frame layout too (types.ts YUV_FORMATS), so a transcode can hand frames over in it. */
  pixelFormat: YuvFormat;
  /** Horizontal and vertical chroma subsampling: sizes must divide by these. */
  subsampling: [number, number];
  encoderArgs: string[];
  containers: readonly Container[];
  /** An editing codec (ProRes, DNxHR): its header holds only a few colour tags (deliveryColour.ts). */
  editing: boolean;
  /** The smallest picture the encoder takes (width, height), where it has a minimum. */
  minSize?: [number, number];
}

export const CODEC_PROFILES: Record<DeliveryCodec, CodecProfile> = {
  h264: {
    label: 'H.264',
    pixelFormat: 'yuv420p',
    subsampling: [2, 2],
    // CRF 18 is the usual "visually lossless" point for x264; medium is its default speed.
    encoderArgs: ['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-profile:v', 'high'],
    containers: ['mp4', 'mov', 'mkv'],
    editing: false,
  },
  hevc: {
    label: 'HEVC',
    pixelFormat: 'yuv420p',
    subsampling: [2, 2],
    encoderArgs: ['-c:v', 'libx265', '-preset', 'medium', '-crf', '20', '-x265-params', 'log-level=error'],
    containers: ['mp4', 'mov', 'mkv'],
    editing: false,
  },
  prores_hq: {
    label: 'ProRes 422 HQ',
    pixelFormat: 'yuv422p10le',
    subsampling: [2, 1],
    // Profile 3 is HQ; the Apple vendor id makes QuickTime and FCP treat the file as native.
    // ffmpeg's `prores` encoder rather than `prores_ks`: 3.5x faster here (1080p: 0.44 s vs 1.55 s
    // a second of video) and no worse for editing (round-trip worst frame 41.8 vs 41.2 dB).
    encoderArgs: ['-c:v', 'prores', '-profile:v', '3', '-vendor', 'apl0'],
    containers: ['mov', 'mkv'],
    editing: true,
  },
  dnxhr_hq: {
    label: 'DNxHR HQ',
    pixelFormat: 'yuv422p',
    subsampling: [2, 1],
    encoderArgs: ['-c:v', 'dnxhd', '-profile:v', 'dnxhr_hq'],
    // ffmpeg's dnxhd encoder refuses smaller pictures ("Input dimensions too small").
    minSize: [256, 120],
    // MXF OP1a is what Avid Media Composer links to natively.
    containers: ['mov', 'mxf'],
    editing: true,
  },
};

const EXTENSIONS: Record<string, Container> = { '.mov': 'mov', '.qt': 'mov', '.mp4': 'mp4', '.m4v': 'mp4', '.mkv': 'mkv', '.mxf': 'mxf' };

/** The container an output path asks for, by its extension. */
export function containerFor(output: string): Container {
  const ext = extname(output).toLowerCase();
  const c = EXTENSIONS[ext];
  if (!c) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `cannot write "${ext || '(no extension)'}" files: ${output}`,
      'End the output name with .mov (any codec), .mp4 (H.264, HEVC), .mkv (H.264, HEVC, ProRes) or .mxf (DNxHR).',
    );
  }
  return c;
}

/** Refuses a codec the container cannot carry, saying which containers would. */
export function checkCodecContainer(codec: DeliveryCodec, container: Container, output: string): CodecProfile {
  const profile = CODEC_PROFILES[codec];
  if (!profile) throw new LacunaError('BAD_ARGUMENT', `unknown codec "${codec}"`, `Use one of: ${Object.keys(CODEC_PROFILES).join(', ')}.`);
  if (!profile.containers.includes(container)) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `${profile.label} cannot be written to a .${container} file (${output})`,
      `Use ${profile.containers.map((c) => `.${c}`).join(' or ')} for ${profile.label}.`,
    );
  }
  return profile;
}

/**
 * Audio as the container takes it: uncompressed 24-bit PCM where editors expect it (.mov,
 * .mkv, .mxf — whose muxer takes 48 kHz only), AAC at a transparent rate in .mp4 (whose
 * players do not take PCM).
 */
export function audioCodecArgs(container: Container): string[] {
  if (container === 'mp4') return ['-c:a', 'aac', '-b:a', '320k'];
  if (container === 'mxf') return ['-c:a', 'pcm_s24le', '-ar', '48000'];
  return ['-c:a', 'pcm_s24le'];
}

/**
 * Container options: HEVC tagged hvc1 (Apple players need it), MP4 with its index up front for
 * streaming, and the colour atom (colr) in .mov/.mp4, which NLEs read the tags from: ffmpeg 5
 * writes it by default, the npm-shipped 4.1 build only when asked (without it a ProRes take read
 * by a newer ffprobe or an NLE has no tags at all).
 */
export function containerArgs(codec: DeliveryCodec, container: Container): string[] {
  const args: string[] = [];
  if (codec === 'hevc' && (container === 'mov' || container === 'mp4')) args.push('-tag:v', 'hvc1');
  if (container === 'mp4') args.push('-movflags', '+faststart+write_colr');
  if (container === 'mov') args.push('-movflags', '+write_colr');
  return args;
}

/**
 * A matte for compositors: ProRes 4444 whose alpha is the removal region (white in the matte)
 * and whose picture is the take's, so laying it over the original gives the take. Not a
 * delivery codec (nothing is transcoded to it): interchange export renders it from a take and
 * its matte (interchange/renderMedia.ts).
 */
export const MATTE_ALPHA_PROFILE = {
  label: 'ProRes 4444 with alpha',
  pixelFormat: 'yuva444p10le',
  // Profile 4 is 4444; prores_ks is ffmpeg's ProRes encoder that writes an alpha channel.
  encoderArgs: ['-c:v', 'prores_ks', '-profile:v', '4', '-alpha_bits', '16', '-vendor', 'apl0'],
  containers: ['mov'],
} as const;

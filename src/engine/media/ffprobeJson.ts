import { z } from 'zod';
import { parseRational, rational, toNumber, type Rational } from '../util/rational';
import type { AudioStreamInfo, ColourInfo, VideoStreamInfo } from './types';

/**
 * ffprobe's JSON (`-print_format json -show_format -show_streams`) and its interpretation into
 * the engine's typed stream facts. Kept pure (no process, no file) so every rule here — which
 * rate is nominal, which way is up, what "unknown" looks like — is unit-testable on plain JSON.
 */

const numberish = z.union([z.number(), z.string()]).optional();

const StreamSchema = z.object({
  index: z.number(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  profile: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  sample_aspect_ratio: z.string().optional(),
  pix_fmt: z.string().optional(),
  color_range: z.string().optional(),
  color_space: z.string().optional(),
  color_transfer: z.string().optional(),
  color_primaries: z.string().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  time_base: z.string().optional(),
  start_time: numberish,
  duration: numberish,
  nb_frames: numberish,
  nb_read_packets: numberish,
  bits_per_raw_sample: numberish,
  sample_rate: numberish,
  channels: z.number().optional(),
  channel_layout: z.string().optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ side_data_type: z.string().optional(), rotation: z.number().optional() })).optional(),
});

export const FfprobeOutputSchema = z.object({
  streams: z.array(StreamSchema).default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: numberish,
      start_time: numberish,
      size: numberish,
      tags: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

export type FfprobeStream = z.infer<typeof StreamSchema>;
export type FfprobeOutput = z.infer<typeof FfprobeOutputSchema>;

/** A finite number from ffprobe's string-or-number fields; "N/A" and absent become undefined. */
export function num(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** "24/1", "30000/1001", "1:1"; "0/0" and garbage (ffprobe's "unknown") become undefined. */
export function ratio(text: string | undefined): Rational | undefined {
  if (!text) return undefined;
  try {
    const r = parseRational(text);
    return r.num > 0 ? r : undefined;
  } catch {
    return undefined;
  }
}

const unknown = (v: string | undefined) => (v && v !== 'unknown' && v !== 'unspecified' && v !== 'reserved' ? v : undefined);

export function colourOf(s: FfprobeStream): ColourInfo {
  const range = s.color_range === 'tv' || s.color_range === 'pc' ? s.color_range : undefined;
  const colour: ColourInfo = {};
  const primaries = unknown(s.color_primaries);
  const transfer = unknown(s.color_transfer);
  const matrix = unknown(s.color_space);
  if (primaries) colour.primaries = primaries;
  if (transfer) colour.transfer = transfer;
  if (matrix) colour.matrix = matrix;
  if (range) colour.range = range;
  return colour;
}

/**
 * Degrees clockwise to turn the stored picture upright. ffprobe reports the display matrix's
 * angle counter-clockwise (side data "rotation": 90 means the picture is shown turned 90° to
 * the left); older builds put a clockwise "rotate" tag on the stream instead.
 */
export function rotationOf(s: FfprobeStream): number {
  const matrix = s.side_data_list?.find((d) => d.rotation !== undefined);
  const ccw = matrix?.rotation !== undefined ? matrix.rotation : -(num(s.tags?.rotate) ?? 0);
  const cw = ((Math.round(-ccw / 90) * 90) % 360 + 360) % 360;
  return cw;
}

/** Bits per component: ffprobe's raw sample depth, else read off the pixel format's name. */
export function bitDepthOf(pixelFormat: string, rawBits: number | undefined): number {
  if (rawBits && rawBits > 0) return rawBits;
  const m = /p(9|10|12|14|16)(le|be)?$/.exec(pixelFormat) ?? /(9|10|12|14|16)(le|be)$/.exec(pixelFormat);
  if (m) return Number(m[1]);
  if (/(48|64)(le|be)$/.test(pixelFormat)) return 16;
  return 8;
}

export function hasAlphaChannel(pixelFormat: string): boolean {
  return /^(yuva|rgba|bgra|argb|abgr|gbrap|ya|pal8)/.test(pixelFormat);
}

/** Frame rates editors work in; a VFR clip's average is snapped to the nearest within 2%. */
const STANDARD_RATES: Rational[] = [
  rational(24000, 1001), rational(24), rational(25), rational(30000, 1001), rational(30),
  rational(48), rational(50), rational(60000, 1001), rational(60), rational(120),
];

/** True when two rates differ by more than a rounding error (0.5%). */
function ratesDiffer(a: Rational, b: Rational): boolean {
  return Math.abs(toNumber(a) - toNumber(b)) / toNumber(b) > 0.005;
}

/**
 * The stream's nominal (CFR) rate and whether it is variable. ffprobe's r_frame_rate is the
 * rate all timestamps fit; for a constant-rate stream it equals avg_frame_rate. When they
 * differ the clip is VFR: the nominal rate is r_frame_rate if it is a plausible camera rate,
 * else the average snapped to a standard rate (phones record 29.7… averages of a 30 fps clock).
 */
export function frameRateOf(s: FfprobeStream): { fps: Rational; variable: boolean } | undefined {
  const r = ratio(s.r_frame_rate);
  const avg = ratio(s.avg_frame_rate);
  if (!r && !avg) return undefined;
  if (!avg) return { fps: r!, variable: false };
  if (!r || !ratesDiffer(r, avg)) return { fps: r ?? avg, variable: false };
  if (toNumber(r) <= 120 && toNumber(r) >= toNumber(avg) * 0.9) return { fps: r, variable: true };
  const distance = (std: Rational) => Math.abs(toNumber(std) - toNumber(avg)) / toNumber(std);
  const nearest = STANDARD_RATES.reduce((best, std) => (distance(std) < distance(best) ? std : best));
  return { fps: distance(nearest) <= 0.02 ? nearest : rational(Math.max(1, Math.round(toNumber(avg)))), variable: true };
}

/**
 * Video stream facts from one ffprobe stream. `frameCount` is the container's count when it
 * has one and the rate is constant, else `countedFrames` (packets read) for CFR, else the
 * duration at the nominal rate — which is exactly what decoding a VFR clip conformed yields.
 */
export function videoStreamOf(s: FfprobeStream, formatDuration: number | undefined, countedFrames?: number): VideoStreamInfo | null {
  const rate = frameRateOf(s);
  if (!rate || !s.width || !s.height) return null;
  const { fps, variable } = rate;
  const width = s.width;
  const height = s.height;
  const sampleAspect = ratio(s.sample_aspect_ratio) ?? rational(1);
  const rotation = rotationOf(s);
  const shownWidth = Math.round((width * sampleAspect.num) / sampleAspect.den);
  const sideways = rotation === 90 || rotation === 270;
  const duration = num(s.duration) ?? formatDuration ?? 0;
  const byDuration = Math.round(duration * toNumber(fps));
  const stored = num(s.nb_frames) ?? countedFrames;
  const frameCount = variable ? byDuration : (stored ?? byDuration);
  const pixelFormat = s.pix_fmt ?? 'unknown';
  return {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    ...(s.profile ? { profile: s.profile } : {}),
    width,
    height,
    displayWidth: sideways ? height : shownWidth,
    displayHeight: sideways ? shownWidth : height,
    sampleAspect,
    rotation,
    fps,
    variableFrameRate: variable,
    timeBase: ratio(s.time_base) ?? rational(fps.den, fps.num),
    frameCount,
    duration,
    startTime: num(s.start_time) ?? 0,
    pixelFormat,
    bitDepth: bitDepthOf(pixelFormat, num(s.bits_per_raw_sample)),
    colour: colourOf(s),
    hasAlpha: hasAlphaChannel(pixelFormat),
  };
}

export function audioStreamOf(s: FfprobeStream, formatDuration: number | undefined): AudioStreamInfo {
  return {
    index: s.index,
    codec: s.codec_name ?? 'unknown',
    sampleRate: num(s.sample_rate) ?? 0,
    channels: s.channels ?? 0,
    ...(s.channel_layout ? { channelLayout: s.channel_layout } : {}),
    duration: num(s.duration) ?? formatDuration ?? 0,
    startTime: num(s.start_time) ?? 0,
  };
}

/** The picture stream to use: the first video stream that is not cover art. */
export function mainVideoStream(out: FfprobeOutput): FfprobeStream | undefined {
  return out.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
}

/** SMPTE start timecode: the format's tag, else any stream's (QuickTime keeps it on a tmcd track). */
export function startTimecodeOf(out: FfprobeOutput): string | undefined {
  return out.format?.tags?.timecode ?? out.streams.map((s) => s.tags?.timecode).find((t) => t !== undefined);
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPaths, frameTimingArgs } from '../../src/engine/media/ffmpegLocator';
import { runProcess } from '../../src/engine/util/runProcess';

/**
 * Test media made on the spot with ffmpeg's lavfi sources (testsrc2 picture, sine tone), tagged
 * BT.709, so the media tests need no shipped files. Small sizes keep them quick on two cores.
 */

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lacuna-media-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const ffmpeg = (args: string[]) => runProcess(ffmpegPaths().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
export const ffprobe = (args: string[]) => runProcess(ffmpegPaths().ffprobe, ['-v', 'error', ...args]);

export interface ClipOptions {
  seconds?: number;
  /** Frame rate as ffmpeg reads it: "24", "30000/1001". */
  rate?: string;
  size?: string;
  audio?: boolean;
  timecode?: string;
  /** x264 preset: "ultrafast" has no B-frames; "veryfast" has, which tests seeking properly. */
  preset?: string;
  codec?: 'h264' | 'prores';
}

const BT709 = ['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-color_range', 'tv'];

export async function makeClip(path: string, o: ClipOptions = {}): Promise<string> {
  const { seconds = 1, rate = '24', size = '320x180', audio = true, preset = 'ultrafast', codec = 'h264' } = o;
  const inputs = ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`];
  if (audio) inputs.push('-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
  const videoCodec =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', preset, '-crf', '16', '-pix_fmt', 'yuv420p', '-vf', 'scale=out_color_matrix=bt709:out_range=tv']
      : ['-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le', '-vf', 'scale=out_color_matrix=bt709:out_range=tv'];
  const audioCodec = audio ? (codec === 'h264' ? ['-c:a', 'aac', '-b:a', '128k'] : ['-c:a', 'pcm_s16le']) : [];
  await ffmpeg([...inputs, ...videoCodec, ...BT709, ...audioCodec, ...(o.timecode ? ['-timecode', o.timecode] : []), path]);
  return path;
}

/**
 * A 64x32 clip, left half white and right half black, whose display matrix says "turn 90°
 * clockwise" (ffmpeg 5 writes the matrix from the legacy rotate tag on a stream copy; the tag
 * counts counter-clockwise, so -90). Upright, the white half is on top.
 */
export async function makeRotatedClip(dir: string): Promise<string> {
  const plain = join(dir, 'plain.mp4');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=black:size=64x32:rate=24:duration=0.5,drawbox=x=0:y=0:w=32:h=32:color=white:t=fill',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv444p', plain]);
  const rotated = join(dir, 'rotated.mp4');
  await ffmpeg(['-i', plain, '-c', 'copy', '-metadata:s:v:0', 'rotate=-90', rotated]);
  return rotated;
}

/**
 * testsrc2 (320x180, H.264 4:2:0, BT.709) whose top quarter is a neutral band of super-white
 * (Y 250) on the left and sub-black (Y 6) on the right: levels limited-range video carries (a
 * camera's highlights above 100 %) but RGB cannot, so an RGB round trip clips them to 235 / 16.
 */
export async function makeOutOfRangeClip(path: string, o: { seconds?: number; rate?: string } = {}): Promise<string> {
  const { seconds = 1, rate = '25' } = o;
  const band = (inside: string, outside: string) => `'if(lt(Y,H/4),${inside},${outside})'`;
  await ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=${rate}:duration=${seconds}`,
    '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`,
    '-vf', `scale=out_color_matrix=bt709:out_range=tv,format=yuv420p,geq=lum=${band('if(lt(X,W/2),250,6)', 'lum(X,Y)')}:cb=${band('128', 'cb(X,Y)')}:cr=${band('128', 'cr(X,Y)')}`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-pix_fmt', 'yuv420p', ...BT709, '-c:a', 'aac', '-b:a', '128k', path,
  ]);
  return path;
}

/** Mean luma of a rectangle of a planar YUV frame (8-bit: the Y plane is the first width·height bytes). */
export function meanLuma(data: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): number {
  let sum = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) sum += data[y * width + x];
  return sum / ((x1 - x0) * (y1 - y0));
}

/**
 * 1 s at 30 fps then 1 s at 15 fps in one stream: variable frame rate, nominal 30. Its length at
 * the nominal rate is `vfrClipFrames`: builds end the stream differently (ffmpeg 5 gives the last
 * frame 1/15 s, 58 frames at 30 fps; the npm-shipped 4.1 gives it 1/30 s, 59 frames).
 */
export async function makeVfrClip(path: string): Promise<string> {
  await ffmpeg([
    '-filter_complex',
    'testsrc2=size=160x90:rate=30:duration=1,settb=1/90000[a];testsrc2=size=160x90:rate=15:duration=1,settb=1/90000[b];[a][b]concat=n=2:v=1:a=0',
    ...frameTimingArgs('vfr'), '-c:v', 'libx264', '-preset', 'ultrafast', path,
  ]);
  return path;
}

let intraRangeReadable: Promise<boolean> | undefined;

/**
 * Whether this machine's ffprobe reports the range of a ProRes file. Debian's ffprobe 5.1 does
 * (tv); the npm-shipped static ffprobe (a 2023 build, the only one on a machine with nothing but
 * Node and npm) prints "unknown" for the same file, so there a take's range cannot be read back,
 * only its pictures (which the colour tests compare too). Asked once, of a 2-frame file.
 */
export function proresRangeReadable(): Promise<boolean> {
  intraRangeReadable ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-range-'));
    try {
      const file = join(dir, 'r.mov');
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36', '-frames:v', '2', '-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le', '-color_range', 'tv', file]);
      const { stdout } = await ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=color_range', '-of', 'csv=p=0', file]);
      return stdout.toString().trim() === 'tv';
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return intraRangeReadable;
}

/** `expected` less its range field where this machine's ffprobe cannot read it (proresRangeReadable). */
export async function readableColour<T extends object>(expected: T, rangeKey: keyof T): Promise<Partial<T>> {
  if (await proresRangeReadable()) return expected;
  const { [rangeKey]: _unreadable, ...rest } = expected;
  return rest as Partial<T>;
}

/** The VFR clip's length in frames at its nominal 30 fps, from ffprobe's stream duration. */
export async function vfrClipFrames(path: string): Promise<number> {
  const { stdout } = await ffprobe(['-select_streams', 'v:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', path]);
  return Math.round(Number(stdout.toString().trim()) * 30);
}

/** Presentation times of the video packets, in order, as ffprobe prints them. */
export async function packetTimes(path: string): Promise<number[]> {
  const { stdout } = await ffprobe(['-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', path]);
  return stdout.toString().trim().split('\n').map(Number).sort((a, b) => a - b);
}

/** PSNR in dB of two 8-bit images of the same size (Infinity when identical). */
export function psnr(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  const mse = sum / a.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

import { mkdir } from 'node:fs/promises';
import { takeEncoding } from '../media/takeEncoding';
import { basename, extname, join } from 'node:path';
import { MATTE_ALPHA_PROFILE } from '../media/deliveryCodecs';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { guardOutput } from '../media/outputGuard';
import { probeMedia } from '../media/probe';
import { transcode } from '../media/transcode';
import type { DeliveryCodec } from '../media/types';
import { quickHashFile } from '../project';
import { produceAtomically } from '../util/atomicWrite';
import { LacunaError } from '../util/errors';
import { runProcess, stderrTail } from '../util/runProcess';
import type { IxMedia, IxTimeline } from './model';
import { replaceMedia } from './projectToTimeline';
import { timecodeLabel } from './rates';

/**
 * Render settings for what an export links to: the active takes in an editing or delivery codec
 * (ProRes 422 HQ, DNxHR HQ, H.264, HEVC: `transcode`, which keeps each take's rate, time base,
 * colour tags, start timecode and length, so the interchange file's ranges stay right), and the
 * mattes either as grayscale video in that codec or as ProRes 4444 whose alpha is the removal
 * region over the take's picture, which a compositor lays over the original. Originals and clips
 * without a take are linked as they are.
 */

export const RENDER_CHOICES = ['prores', 'dnxhr', 'h264', 'hevc'] as const;
export type RenderChoice = (typeof RENDER_CHOICES)[number];
export const RENDER_CODECS: Record<RenderChoice, DeliveryCodec> = { prores: 'prores_hq', dnxhr: 'dnxhr_hq', h264: 'h264', hevc: 'hevc' };

export const MATTE_CHOICES = ['gray', 'alpha'] as const;
export type MatteChoice = (typeof MATTE_CHOICES)[number];

export interface RenderOptions {
  render?: RenderChoice;
  /** How mattes are rendered (needs `render` for gray; alpha always renders). */
  matte?: MatteChoice;
  /** Folder the renders go to (created). */
  folder: string;
  overwrite?: boolean;
  ffmpeg?: FfmpegPaths;
  signal?: AbortSignal;
  onProgress?: (what: string, done: number, total: number) => void;
}

export interface Rendered {
  from: string;
  to: string;
  what: 'take' | 'matte';
}

const extFor = (codec: DeliveryCodec) => (codec === 'h264' || codec === 'hevc' ? '.mp4' : '.mov');
const stemOf = (p: string) => basename(p, extname(p));

async function rendered(m: IxMedia, path: string, ffmpeg?: FfmpegPaths, signal?: AbortSignal): Promise<IxMedia> {
  const info = await probeMedia(path, { ffmpeg, signal });
  const frames = info.video?.frameCount ?? m.frames;
  return { ...m, name: basename(path), path, frames: frames > 0 ? frames : m.frames, hash: await quickHashFile(path) };
}

/** Merges `matte` (white = removed) as alpha onto `take`'s picture: ProRes 4444. */
async function renderAlphaMatte(take: IxMedia, matte: IxMedia, out: string, o: RenderOptions): Promise<void> {
  const ffmpeg = o.ffmpeg?.ffmpeg ?? 'ffmpeg';
  await guardOutput(out, [{ kind: 'file', path: take.path }, { kind: 'file', path: matte.path }], o.overwrite ?? false);
  await produceAtomically(out, async (tmp) => {
    const tc = take.startFrame ? ['-timecode', timecodeLabel(take.startFrame, take.rate, take.dropFrame)] : [];
    const args = [
      '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
      '-i', take.path, '-i', matte.path,
      // The matte scaled to the take (engines write it at the take's size; this guards odd ones).
      '-filter_complex', `[1:v]format=gray[m];[m][0:v]scale2ref[m2][v];[v][m2]alphamerge,format=${MATTE_ALPHA_PROFILE.pixelFormat}[out]`,
      '-map', '[out]', '-an', ...MATTE_ALPHA_PROFILE.encoderArgs, '-r', `${take.rate.num}/${take.rate.den}`, ...tc, '-f', 'mov', tmp,
    ];
    try {
      await runProcess(ffmpeg, args, { signal: o.signal, what: 'the matte render' });
    } catch (e) {
      if (e instanceof LacunaError && e.code === 'FFMPEG_FAILED') {
        throw new LacunaError('FFMPEG_FAILED', `could not render the alpha matte ${basename(out)}: ${stderrTail(e.message, 3)}`);
      }
      throw e;
    }
  });
}

/** Renders the timeline's takes (and mattes) per the options; returns the timeline linking to the renders. */
export async function renderTimelineMedia(t: IxTimeline, o: RenderOptions): Promise<{ timeline: IxTimeline; rendered: Rendered[] }> {
  const jobs = new Map<string, { media: IxMedia; what: 'take' | 'matte'; take?: IxMedia }>();
  for (const tr of t.tracks) {
    for (const c of tr.clips) {
      if (!c.take) continue;
      if (o.render && !jobs.has(c.shown.media.path)) jobs.set(c.shown.media.path, { media: c.shown.media, what: 'take' });
      if (c.matte && (o.matte === 'alpha' || (o.matte === 'gray' && o.render)) && !jobs.has(c.matte.media.path)) {
        jobs.set(c.matte.media.path, { media: c.matte.media, what: 'matte', take: c.shown.media });
      }
    }
  }
  if (!jobs.size) return { timeline: t, rendered: [] };
  // Every render the codec cannot make (a picture under its minimum size) is refused before any is made.
  if (o.render) {
    for (const [path, job] of jobs) {
      if (job.what === 'matte' && o.matte === 'alpha') continue;
      const info = await probeMedia(path, { ffmpeg: o.ffmpeg, signal: o.signal });
      takeEncoding(info, { start: 0, end: Math.max(1, info.video?.frameCount ?? 1) }, RENDER_CODECS[o.render]);
    }
  }
  await mkdir(o.folder, { recursive: true });
  const out = new Map<string, IxMedia>();
  const done: Rendered[] = [];
  let i = 0;
  for (const [path, job] of jobs) {
    o.onProgress?.(basename(path), i++, jobs.size);
    let target: string;
    if (job.what === 'matte' && o.matte === 'alpha') {
      target = join(o.folder, `${stemOf(path)}_alpha.mov`);
      await renderAlphaMatte(job.take!, job.media, target, o);
    } else {
      const codec = RENDER_CODECS[o.render!];
      target = join(o.folder, `${stemOf(path)}_${codec}${extFor(codec)}`);
      await transcode(path, target, { codec, overwrite: o.overwrite, signal: o.signal, ffmpeg: o.ffmpeg });
    }
    out.set(path, await rendered(job.media, target, o.ffmpeg, o.signal));
    done.push({ from: path, to: target, what: job.what });
  }
  o.onProgress?.('', jobs.size, jobs.size);
  return { timeline: replaceMedia(t, (m) => out.get(m.path) ?? m), rendered: done };
}

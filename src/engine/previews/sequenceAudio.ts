import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectDoc, Sequence } from '../project';
import { clipDuration, mediaRate } from '../project/timing';
import { startFfmpeg } from '../media/ffmpegProcess';

/**
 * The program viewer's sound: every clip on the sequence's audio tracks mixed by ffmpeg into one
 * 48 kHz stereo WAV, cached by what goes into it, that the viewer plays in step with its playhead.
 *
 * Why an engine-rendered mix rather than Web Audio scheduling clip by clip in the page: ffmpeg
 * reads every source's sound (PCM in MOV, MXF, anything the browser cannot decode), places each
 * clip to the sample (atrim for in/out, adelay for the position), and gaps are silence by
 * construction; the page then has one element to keep in sync instead of one per clip, each
 * needing its own seek at every cut. The cost is a render after an edit (seconds for a long cut;
 * the cache makes replays and undo free).
 */

export interface MixPiece {
  path: string;
  /** Where the clip's sound starts in the file, seconds. */
  sourceStart: number;
  /** How long it plays, seconds (the clip's length on the timeline). */
  duration: number;
  /** Where it starts in the sequence, seconds. */
  at: number;
}

export interface MixPlan {
  pieces: MixPiece[];
  /** The sequence's length in seconds (the mix lasts this long, silence where nothing plays). */
  length: number;
}

export const MIX_RATE = 48_000;

/** What the sequence's audio tracks play, in seconds. Clips of media without sound are left out. */
export function audioMixPlan(doc: ProjectDoc, sequence: Sequence): MixPlan {
  const fps = sequence.fps.num / sequence.fps.den;
  const pieces: MixPiece[] = [];
  let end = 0;
  for (const track of sequence.tracks) {
    for (const clip of track.clips) {
      const media = doc.media.find((m) => m.id === clip.mediaId);
      if (!media) continue;
      const length = clipDuration(clip, media, sequence);
      end = Math.max(end, (clip.position + length) / fps);
      if (track.kind !== 'audio' || media.kind !== 'file' || !media.probe.audio.length) continue;
      const rate = mediaRate(media, sequence);
      pieces.push({ path: media.path, sourceStart: (clip.sourceIn * rate.den) / rate.num, duration: length / fps, at: clip.position / fps });
    }
  }
  return { pieces, length: end };
}

/** ffmpeg arguments that mix `plan` into `out` (WAV). */
export function mixArgs(plan: MixPlan, out: string): string[] {
  const inputs = plan.pieces.flatMap((p) => ['-i', p.path]);
  const total = Math.max(plan.length, 1 / MIX_RATE).toFixed(6);
  // apad's length in samples (whole_len): whole_dur is ffmpeg 4.2+, and the npm-shipped build is 4.1.
  const totalSamples = Math.ceil(Number(total) * MIX_RATE);
  // Each piece: its range, resampled to one format, delayed to its place, padded to the whole
  // length, so amix always has every input and its 1/n scaling is constant (undone by volume).
  const chains = plan.pieces.map((p, i) => {
    const delay = Math.round(p.at * 1000 * 1000) / 1000;
    return `[${i}:a:0]atrim=start=${p.sourceStart.toFixed(6)}:duration=${p.duration.toFixed(6)},asetpts=PTS-STARTPTS,aresample=${MIX_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,adelay=${delay}|${delay},apad=whole_len=${totalSamples}[a${i}]`;
  });
  const n = plan.pieces.length;
  const mix = n === 1 ? `[a0]atrim=duration=${total}[mix]` : `${plan.pieces.map((_, i) => `[a${i}]`).join('')}amix=inputs=${n}:duration=longest:dropout_transition=0,volume=${n},atrim=duration=${total}[mix]`;
  return ['-y', ...inputs, '-filter_complex', [...chains, mix].join(';'), '-map', '[mix]', '-ac', '2', '-ar', String(MIX_RATE), '-c:a', 'pcm_s16le', '-f', 'wav', out];
}

/** The cache key: the plan and each file's size and mtime (an overwritten file mixes anew). */
async function keyOf(plan: MixPlan): Promise<string> {
  const h = createHash('sha256').update(JSON.stringify(plan));
  for (const p of new Set(plan.pieces.map((x) => x.path))) {
    const s = await stat(p).catch(() => null);
    h.update(`|${p}:${s?.size ?? -1}:${s?.mtimeMs ?? -1}`);
  }
  return h.digest('hex').slice(0, 40);
}

/**
 * The mix of `plan` as a WAV under `cacheDir` (made once per plan), or null when nothing on the
 * audio tracks has sound. Written to a temp name and renamed, so a half-made mix is never served.
 */
export async function renderAudioMix(plan: MixPlan, cacheDir: string, ffmpeg: string, signal?: AbortSignal): Promise<string | null> {
  if (!plan.pieces.length) return null;
  const out = join(cacheDir, `${await keyOf(plan)}.wav`);
  if (await stat(out).then(() => true, () => false)) return out;
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.${Date.now()}.partial`;
  try {
    const run = startFfmpeg(ffmpeg, mixArgs(plan, tmp), { signal, what: 'the sequence sound' });
    run.stdin.end();
    await run.done;
    await rename(tmp, out);
  } finally {
    await rm(tmp, { force: true });
  }
  return out;
}

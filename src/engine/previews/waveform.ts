import type { MediaRef } from '../project/schema';
import { runProcess } from '../util/runProcess';
import type { PreviewCache } from './previewCache';

/** Buckets per second: enough for a frame-level look at 100 px/s zoom, small for an hour (360k). */
export const WAVEFORM_RATE = 100;
const SAMPLE_RATE = 8000;

/** Peak of |sample| per bucket of `perBucket` samples, 0..1 (pure, for tests). */
export function peaksOf(samples: Int16Array, perBucket: number): Float32Array {
  const n = Math.ceil(samples.length / perBucket);
  const out = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    let peak = 0;
    const end = Math.min(samples.length, (b + 1) * perBucket);
    for (let i = b * perBucket; i < end; i++) {
      const v = Math.abs(samples[i]);
      if (v > peak) peak = v;
    }
    out[b] = Math.min(1, peak / 32767);
  }
  return out;
}

/**
 * The sound's peak levels (first audio stream, mixed to mono), WAVEFORM_RATE buckets a second,
 * from ffmpeg, cached as 8-bit levels. Null when the media has no sound.
 */
export async function waveform(ffmpeg: string, cache: PreviewCache, media: MediaRef, signal?: AbortSignal): Promise<number[] | null> {
  if (media.kind !== 'file' || media.probe.audio.length === 0) return null;
  const key = cache.key(media, `wave:${WAVEFORM_RATE}`);
  const bytes = await cache.get(key, 'peaks', async () => {
    const { stdout } = await runProcess(
      ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-i', media.path, '-map', '0:a:0', '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', '-c:a', 'pcm_s16le', '-'],
      { signal, what: `waveform of "${media.name}"` },
    );
    // A copy: the buffer may start at an odd offset, which Int16Array cannot view.
    const samples = new Int16Array(stdout.buffer.slice(stdout.byteOffset, stdout.byteOffset + (stdout.byteLength & ~1)));
    const peaks = peaksOf(samples, SAMPLE_RATE / WAVEFORM_RATE);
    return Buffer.from(peaks.map((p) => Math.round(p * 255)));
  });
  return [...bytes].map((b) => b / 255);
}

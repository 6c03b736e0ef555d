import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/engine/media/probe';
import { quickHashFile, quickHashImageSequence } from '../../src/engine/project';
import { mediaRefFromInfo } from '../../src/engine/project/mediaRef';
import type { MediaRef } from '../../src/engine/project/schema';
import { PreviewCache } from '../../src/engine/previews/previewCache';
import { thumbnailStrip } from '../../src/engine/previews/thumbnails';
import { peaksOf, waveform, WAVEFORM_RATE } from '../../src/engine/previews/waveform';
import { makeClip, tempDir } from '../app/fixtures';

let tmp: { dir: string; cleanup: () => void };
let clip: MediaRef;
let plate: MediaRef;
let cache: PreviewCache;

/** Size of a picture, as ffprobe reads it. */
function pictureSize(jpeg: Buffer): { width: number; height: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'json', '-i', 'pipe:0'], { input: jpeg });
  const s = JSON.parse(out.toString()).streams[0];
  return { width: s.width, height: s.height };
}

beforeAll(async () => {
  tmp = tempDir('lacuna-previews-');
  const file = makeClip(join(tmp.dir, 'tone.mp4'), { seconds: 2, size: '320x180' });
  clip = mediaRefFromInfo(await probeMedia(file), await quickHashFile(file), 'media_1');
  // Frames numbered in steps of 5 (0, 5, 10, ...), each a flat grey getting brighter.
  const dir = join(tmp.dir, 'plate');
  mkdirSync(dir);
  for (let i = 0; i < 6; i++) {
    const v = (i * 40).toString(16).padStart(2, '0');
    execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', `color=c=0x${v}${v}${v}:s=64x36`, '-frames:v', '1', join(dir, `${String(i * 5).padStart(5, '0')}.png`)]);
  }
  const info = await probeMedia(join(dir, '%05d.png'), { fps: { num: 25, den: 1 } });
  if (info.source.kind !== 'imageSequence') throw new Error('expected an image sequence');
  plate = mediaRefFromInfo(info, await quickHashImageSequence(info.source.pattern, info.source.numbers), 'media_2');
  cache = new PreviewCache(join(tmp.dir, 'cache'));
}, 60_000);

afterAll(() => tmp?.cleanup());

describe('thumbnail strips', () => {
  it('puts the asked frames side by side at the asked height, in the picture aspect', async () => {
    const strip = await thumbnailStrip('ffmpeg', cache, clip, { num: 24, den: 1 }, [0, 12, 24, 47], 36);
    expect(strip.frameWidth).toBe(64);
    expect(pictureSize(strip.jpeg)).toEqual({ width: 256, height: 36 });
  });

  it('reads the right files of a sequence numbered in steps, and caches the result on disk', async () => {
    const strip = await thumbnailStrip('ffmpeg', cache, plate, { num: 25, den: 1 }, [0, 5], 36);
    // Decode the strip back: its left half is frame 0 (black), its right half frame 5 (grey 200).
    const grey = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { input: strip.jpeg });
    const w = strip.frameWidth * 2;
    const at = (x: number, y: number) => grey[y * w + x];
    expect(at(10, 18)).toBeLessThan(20);
    expect(Math.abs(at(strip.frameWidth + 10, 18) - 200)).toBeLessThan(12);
    const files = readdirSync(join(tmp.dir, 'cache'), { recursive: true }).filter((f) => String(f).endsWith('.jpg'));
    const again = await thumbnailStrip('/nonexistent/ffmpeg', cache, plate, { num: 25, den: 1 }, [0, 5], 36);
    expect(again.jpeg.equals(strip.jpeg)).toBe(true); // from the cache: no ffmpeg run
    expect(files.length).toBe(2);
  });
});

describe('waveforms', () => {
  it('computes peaks per bucket', () => {
    expect([...peaksOf(new Int16Array([0, 100, -32767, 5, 16384]), 2)].map((v) => +v.toFixed(2))).toEqual([0, 1, 0.5]);
  });

  it('reads the sound of a file (a steady tone) at WAVEFORM_RATE buckets a second; null without sound', async () => {
    const peaks = await waveform('ffmpeg', cache, clip);
    expect(peaks).not.toBeNull();
    expect(Math.abs(peaks!.length - 2 * WAVEFORM_RATE)).toBeLessThanOrEqual(3);
    const middle = peaks!.slice(20, 180);
    expect(Math.min(...middle)).toBeGreaterThan(0.05);
    expect(Math.max(...middle) - Math.min(...middle)).toBeLessThan(0.05);
    expect(await waveform('ffmpeg', cache, plate)).toBeNull();
  });
});

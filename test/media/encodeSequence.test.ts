import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { encodeFrames } from '../../src/engine/media/encode';
import { probeMedia } from '../../src/engine/media/probe';
import { transcode } from '../../src/engine/media/transcode';
import type { Frame } from '../../src/engine/media/types';
import { isLacunaError } from '../../src/engine/util/errors';
import { makeClip, withTempDir } from './mediaFiles';

/** Five 32x16 frames of distinct noise-like content. */
async function* someFrames(count = 5): AsyncGenerator<Frame> {
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(32 * 16 * 3);
    for (let p = 0; p < data.length; p++) data[p] = (p * 31 + i * 57) % 251;
    yield { index: i, sourceIndex: i, time: { num: i, den: 24 }, width: 32, height: 16, channels: 3, data };
  }
}

async function all(frames: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of frames) out.push(f);
  return out;
}

const options = (output: string) => ({ output, codec: 'prores_hq' as const, width: 32, height: 16, fps: { num: 24, den: 1 } });

describe('image-sequence output', () => {
  it('writes numbered PNGs that read back bit-exact, from the first number asked for', async () => {
    await withTempDir(async (dir) => {
      const result = await encodeFrames(someFrames(), { ...options(join(dir, 'clean.%04d.png')), firstNumber: 1001 });
      expect(result.frameCount).toBe(5);
      expect(readdirSync(dir).sort()).toEqual(['clean.1001.png', 'clean.1002.png', 'clean.1003.png', 'clean.1004.png', 'clean.1005.png']);
      const back = await all(decodeFrames(await probeMedia(join(dir, 'clean.%04d.png'), { fps: { num: 24, den: 1 } })));
      const sent = await all(someFrames());
      expect(back).toHaveLength(5);
      back.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(sent[i].data))).toBe(true));
    });
  });

  it('moves nothing into place if one file would replace an existing one, and leaves no staging folder', async () => {
    await withTempDir(async (dir) => {
      writeFileSync(join(dir, 'f_0003.png'), 'an artist’s paint-over');
      let error: unknown;
      await encodeFrames(someFrames(), options(join(dir, 'f_%04d.png'))).catch((e) => (error = e));
      expect(isLacunaError(error, 'OUTPUT_EXISTS')).toBe(true);
      expect(readdirSync(dir)).toEqual(['f_0003.png']);
    });
  });

  it('never writes over a source frame, even when overwriting, and leaves no partial sequence when cancelled', async () => {
    await withTempDir(async (dir) => {
      const frames = join(dir, 'plate');
      mkdirSync(frames);
      await encodeFrames(someFrames(), options(join(frames, '%03d.png')));
      const source = await probeMedia(join(frames, '%03d.png'), { fps: { num: 24, den: 1 } });
      let error: unknown;
      await encodeFrames(someFrames(), { ...options(join(frames, '%03d.png')), overwrite: true, sources: [source.source] }).catch((e) => (error = e));
      expect(isLacunaError(error, 'WOULD_OVERWRITE_SOURCE')).toBe(true);

      const abort = new AbortController();
      async function* slow(): AsyncGenerator<Frame> {
        for await (const f of someFrames(50)) {
          if (f.index === 3) abort.abort();
          yield f;
        }
      }
      const out = join(dir, 'out');
      mkdirSync(out);
      await encodeFrames(slow(), { ...options(join(out, '%03d.png')), signal: abort.signal }).catch((e) => (error = e));
      expect(isLacunaError(error, 'CANCELLED')).toBe(true);
      expect(readdirSync(out)).toEqual([]);
    });
  });

  it('is what a transcode writes for a pattern output, at the source rate', async () => {
    await withTempDir(async (dir) => {
      const clip = await makeClip(join(dir, 'c.mp4'), { seconds: 1, rate: '25' });
      mkdirSync(join(dir, 'seq'));
      const result = await transcode(clip, join(dir, 'seq', 'frame_%05d.tif'), { codec: 'prores_hq' });
      expect(result.frames).toBe(25);
      expect(readdirSync(join(dir, 'seq'))).toHaveLength(25);
      expect(result.info.video?.fps).toEqual({ num: 25, den: 1 });
      // Image files are RGB: the transcode went through the source's RGB decode, frame for frame.
      const written = await all(decodeFrames(result.info));
      const source = await all(decodeFrames(await probeMedia(clip)));
      expect(written).toHaveLength(25);
      written.forEach((f, i) => expect(Buffer.compare(f.data, source[i].data), `frame ${i}`).toBe(0));
    });
  });
});

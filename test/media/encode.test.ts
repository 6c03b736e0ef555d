import { copyFile, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFrames, type EncodeOptions } from '../../src/engine/media/encode';
import { probeMedia } from '../../src/engine/media/probe';
import { transcode } from '../../src/engine/media/transcode';
import type { Frame } from '../../src/engine/media/types';
import { frameToTime, rational } from '../../src/engine/util/rational';
import { makeClip, withTempDir } from './mediaFiles';

const W = 64;
const H = 36;
const fps = rational(24);

/** Synthetic frames (a moving gradient); `onFrame` runs before each is handed over. */
async function* frames(count: number, onFrame?: (i: number) => void | Promise<void>): AsyncGenerator<Frame> {
  for (let i = 0; i < count; i++) {
    await onFrame?.(i);
    const data = new Uint8Array(W * H * 3);
    for (let p = 0; p < W * H; p++) data.set([(p + i * 7) % 256, (p >> 3) % 256, (i * 11) % 256], p * 3);
    yield { index: i, sourceIndex: i, time: frameToTime(i, fps), width: W, height: H, channels: 3, data };
  }
}

const base = (output: string): EncodeOptions => ({ output, codec: 'prores_hq', width: W, height: H, fps });

describe('encodeFrames', () => {
  it('writes exactly the frames given, at the given rate, tagged with the given colour', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out.mov');
      const result = await encodeFrames(frames(30), { ...base(out), fps: rational(30000, 1001), colour: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' } });
      expect(result).toEqual({ output: out, frameCount: 30 });
      const info = await probeMedia(out);
      expect(info.video).toMatchObject({ frameCount: 30, fps: { num: 30000, den: 1001 }, width: W, height: H });
      expect(info.video!.colour).toEqual({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' });
      expect(await readdir(dir)).toEqual(['out.mov']);
    });
  });

  it('removes the temp file and writes nothing when cancelled mid-encode', async () => {
    await withTempDir(async (dir) => {
      const controller = new AbortController();
      const out = join(dir, 'cancelled.mov');
      let sawTemp = false;
      const run = encodeFrames(
        frames(100_000, async (i) => {
          if (i < 20 || controller.signal.aborted) return;
          // Cancel once ffmpeg has started writing (it opens its output after the first frames).
          sawTemp = (await readdir(dir)).some((n) => n.startsWith('.cancelled.') && n.endsWith('.partial.mov'));
          if (sawTemp) controller.abort();
        }),
        { ...base(out), signal: controller.signal },
      );
      await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(sawTemp).toBe(true); // the work really went to a temp file…
      expect(await readdir(dir)).toEqual([]); // …which is gone, and no output appeared
    });
  });

  it('removes the temp file when the frame source fails, and refuses frames of the wrong size', async () => {
    await withTempDir(async (dir) => {
      const failing = frames(50, (i) => {
        if (i === 10) throw new Error('model crashed');
      });
      await expect(encodeFrames(failing, base(join(dir, 'a.mov')))).rejects.toThrow('model crashed');
      async function* wrongSize(): AsyncGenerator<Frame> {
        yield* frames(2);
        yield { index: 2, sourceIndex: 2, time: frameToTime(2, fps), width: W + 2, height: H, channels: 3, data: new Uint8Array((W + 2) * H * 3) };
      }
      await expect(encodeFrames(wrongSize(), base(join(dir, 'b.mov')))).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/frame 2 is 66x36x3/) });
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('refuses an existing output unless overwrite, and replaces it whole when allowed', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'exists.mov');
      await writeFile(out, 'previous render');
      await expect(encodeFrames(frames(3), base(out))).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', message: expect.stringContaining(out) });
      expect(await readFile(out, 'utf8')).toBe('previous render');
      await encodeFrames(frames(3), { ...base(out), overwrite: true });
      expect((await probeMedia(out)).video!.frameCount).toBe(3);
    });
  });

  it('refuses codec/container mismatches, unknown extensions, odd sizes and a missing folder before starting', async () => {
    await withTempDir(async (dir) => {
      const cases: [Partial<EncodeOptions>, RegExp][] = [
        [{ output: join(dir, 'a.mp4'), codec: 'prores_hq' }, /ProRes 422 HQ cannot be written to a \.mp4 file/],
        [{ output: join(dir, 'a.avi') }, /cannot write "\.avi" files/],
        [{ output: join(dir, 'a.mp4'), codec: 'h264', width: 63 }, /H\.264 needs an even width and height, got 63x36/],
        [{ output: join(dir, 'no', 'such', 'a.mov') }, /output folder does not exist/],
      ];
      for (const [o, message] of cases) {
        await expect(encodeFrames(frames(1), { ...base(join(dir, 'x.mov')), ...o })).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(message) });
      }
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe('never overwriting the source', () => {
  it('refuses to write onto the source, even with overwrite and under another name (symlink)', async () => {
    await withTempDir(async (dir) => {
      const src = await makeClip(join(dir, 'src.mov'), { codec: 'prores', seconds: 0.5 });
      const before = await readFile(src);
      const link = join(dir, 'alias.mov');
      await symlink(src, link);
      for (const target of [src, link]) {
        await expect(transcode(src, target, { codec: 'prores_hq', overwrite: true })).rejects.toMatchObject({ code: 'WOULD_OVERWRITE_SOURCE' });
      }
      // encodeFrames on its own checks the audio source too.
      const info = await probeMedia(src);
      await expect(
        encodeFrames(frames(3), { ...base(src), width: 320, height: 180, overwrite: true, audioFrom: { media: info, range: { start: 0, end: 3 } } }),
      ).rejects.toMatchObject({ code: 'WOULD_OVERWRITE_SOURCE' });
      expect(Buffer.compare(await readFile(src), before)).toBe(0);
      expect((await readdir(dir)).sort()).toEqual(['alias.mov', 'src.mov']);
    });
  });

  it('refuses to write over a frame of an image sequence source', async () => {
    await withTempDir(async (dir) => {
      for (const n of ['00000', '00005']) await copyFile(`/work/shared/fixtures/two-birds/${n}.jpg`, join(dir, `${n}.jpg`));
      const info = await probeMedia(dir, { fps: rational(24) });
      await expect(transcode(info.source, join(dir, '00005.jpg'), { codec: 'prores_hq', overwrite: true, info })).rejects.toMatchObject({
        code: 'WOULD_OVERWRITE_SOURCE',
        message: expect.stringContaining('00005.jpg'),
      });
    });
  });
});

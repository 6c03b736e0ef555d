import { copyFile, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFrames, type EncodeOptions } from '../../src/engine/media/encode';
import { probeMedia } from '../../src/engine/media/probe';
import { transcode } from '../../src/engine/media/transcode';
import { decodeFrames } from '../../src/engine/media/decode';
import { frameBytes, type Frame, type YuvFormat } from '../../src/engine/media/types';
import { frameToTime, rational } from '../../src/engine/util/rational';
import { makeClip, psnr, readableColour, withTempDir } from './mediaFiles';

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

/**
 * Synthetic planar 8-bit YUV frames: a moving luma ramp from sub-black (Y 4) to super-white (Y 254),
 * levels only YUV can hold, and chroma ramps across each plane.
 */
async function* yuvFrames(count: number, format: Exclude<YuvFormat, 'yuv422p10le'> = 'yuv420p'): AsyncGenerator<Frame> {
  const chromaHeight = format === 'yuv420p' ? H / 2 : H;
  for (let i = 0; i < count; i++) {
    const data = new Uint8Array(frameBytes(format, W, H));
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = 4 + ((x * 4 + y + i * 3) % 251);
    const plane = (W / 2) * chromaHeight;
    for (let p = 0; p < plane; p++) {
      data[W * H + p] = 64 + ((p + i) % 128);
      data[W * H + plane + p] = 192 - ((p * 3 + i) % 128);
    }
    yield { index: i, sourceIndex: i, time: frameToTime(i, fps), width: W, height: H, channels: 3, yuv: format, data };
  }
}

async function collect(source: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of source) out.push(f);
  return out;
}

describe('encodeFrames', () => {
  it('writes exactly the frames given, at the given rate, tagged with the given colour', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out.mov');
      const result = await encodeFrames(frames(30), { ...base(out), fps: rational(30000, 1001), colour: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' } });
      expect(result).toEqual({ output: out, frameCount: 30 });
      const info = await probeMedia(out);
      expect(info.video).toMatchObject({ frameCount: 30, fps: { num: 30000, den: 1001 }, width: W, height: H });
      expect(info.video!.colour).toEqual(await readableColour({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' }, 'range'));
      expect(await readdir(dir)).toEqual(['out.mov']);
    });
  });

  it("tells onWritten of each frame once ffmpeg's pipe has it: memory written over from then on changes nothing", async () => {
    await withTempDir(async (dir) => {
      const plain = join(dir, 'plain.mov');
      const reused = join(dir, 'reused.mov');
      await encodeFrames(frames(40), base(plain));
      const heard: number[] = [];
      // As a pool lending the memory to the next frame would: scribbled over the moment it is free.
      const result = await encodeFrames(frames(40), { ...base(reused), onWritten: (f) => (heard.push(f.index), f.data.fill(255)) });
      expect(result.frameCount).toBe(40);
      expect(heard).toEqual(Array.from({ length: 40 }, (_, i) => i));
      const a = await collect(decodeFrames(await probeMedia(plain)));
      const b = await collect(decodeFrames(await probeMedia(reused)));
      expect(b.length).toBe(40);
      b.forEach((f, i) => expect(Buffer.compare(f.data, a[i].data), `frame ${i}`).toBe(0));
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
      await expect(encodeFrames(wrongSize(), base(join(dir, 'b.mov')))).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/frame 2 is 66x36 rgb24 .*set up for 64x36 rgb24/) });
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it('takes planar YUV frames as they are: only re-laid-out for the codec (4:2:0 → 4:2:2 10-bit for ProRes), tagged, levels kept', async () => {
    await withTempDir(async (dir) => {
      const bt709 = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' } as const;
      const sent = await collect(yuvFrames(6));
      for (const [codec, name] of [['prores_hq', 'out.mov'], ['h264', 'out.mp4']] as const) {
        const out = join(dir, name);
        const result = await encodeFrames(yuvFrames(6), { ...base(out), codec, pixelFormat: 'yuv420p', colour: bt709 });
        expect(result.frameCount).toBe(6);
        const info = await probeMedia(out);
        expect(info.video).toMatchObject({ frameCount: 6, width: W, height: H, pixelFormat: codec === 'prores_hq' ? 'yuv422p10le' : 'yuv420p' });
        expect(info.video!.colour, codec).toEqual(codec === 'prores_hq' ? await readableColour(bt709, 'range') : bt709);
        const back = await collect(decodeFrames(info, { pixelFormat: 'yuv420p' }));
        expect(back).toHaveLength(6);
        back.forEach((f, i) => {
          // Through RGB the super-whites and sub-blacks would clip to 235 / 16: about 20 dB.
          const luma = (d: Uint8Array) => d.subarray(0, W * H);
          expect(psnr(luma(f.data), luma(sent[i].data)), `${codec} frame ${i} luma`).toBeGreaterThan(40);
          expect(psnr(f.data, sent[i].data), `${codec} frame ${i}`).toBeGreaterThan(35);
        });
      }
    });
  });

  it("refuses a frame whose layout or byte size is not the encoder's, and YUV frames for an image sequence, writing nothing", async () => {
    await withTempDir(async (dir) => {
      const yuv = (output: string): EncodeOptions => ({ ...base(output), pixelFormat: 'yuv420p' });
      const [, , rgb] = await collect(frames(3));
      async function* thenRgb(): AsyncGenerator<Frame> {
        yield* yuvFrames(2);
        yield rgb;
      }
      await expect(encodeFrames(thenRgb(), yuv(join(dir, 'a.mov')))).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringMatching(/frame 2 is 64x36 rgb24 \(6912 bytes\), but the encoder was set up for 64x36 yuv420p \(3456 bytes\)/),
      });
      await expect(encodeFrames(yuvFrames(2, 'yuv422p'), yuv(join(dir, 'b.mov')))).rejects.toMatchObject({ message: expect.stringMatching(/frame 0 is 64x36 yuv422p \(4608 bytes\)/) });
      async function* short(): AsyncGenerator<Frame> {
        for await (const f of yuvFrames(1)) yield { ...f, data: f.data.subarray(0, 3000) };
      }
      await expect(encodeFrames(short(), yuv(join(dir, 'c.mov')))).rejects.toMatchObject({ message: expect.stringMatching(/frame 0 is 64x36 yuv420p \(3000 bytes\)/) });
      // An RGB encoder refuses YUV frames the same way.
      await expect(encodeFrames(yuvFrames(1), base(join(dir, 'd.mov')))).rejects.toMatchObject({ message: expect.stringMatching(/frame 0 is 64x36 yuv420p .*set up for 64x36 rgb24/) });
      await expect(encodeFrames(yuvFrames(2), yuv(join(dir, 'f_%03d.png')))).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringMatching(/image sequences are written from rgb24 or gray frames, not yuv420p/),
      });
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

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { probeMedia } from '../../src/engine/media/probe';
import { frameBytes, YUV_FORMATS, type Frame } from '../../src/engine/media/types';
import type { ReadCounter } from '../../src/engine/media/rawFrameReader';
import { rational } from '../../src/engine/util/rational';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { runProcess } from '../../src/engine/util/runProcess';
import { ffmpeg, makeClip, makeRotatedClip, makeVfrClip, vfrClipFrames, withTempDir } from './mediaFiles';

const TWO_BIRDS = '/work/shared/fixtures/two-birds';

async function collect(frames: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of frames) out.push(f);
  return out;
}

describe('decodeFrames', () => {
  it('gives every frame at display size with exact rational times', async () => {
    await withTempDir(async (dir) => {
      const info = await probeMedia(await makeClip(join(dir, 'a.mp4'), { rate: '30000/1001', seconds: 1 }));
      const frames = await collect(decodeFrames(info));
      expect(frames).toHaveLength(info.video!.frameCount);
      expect(frames.every((f) => f.width === 320 && f.height === 180 && f.channels === 3 && f.data.length === 320 * 180 * 3)).toBe(true);
      expect(frames[7]).toMatchObject({ index: 7, sourceIndex: 7, time: { num: 7007, den: 30000 } });
      const small = await collect(decodeFrames(info, { width: 64, height: 36, pixelFormat: 'gray', range: { start: 0, end: 3 } }));
      expect(small.map((f) => [f.width, f.height, f.channels, f.data.length])).toEqual(Array(3).fill([64, 36, 1, 64 * 36]));
    });
  });

  it('decodes a range frame-for-frame equal to the same frames of a full decode (B-frames, seek inside a GOP)', async () => {
    await withTempDir(async (dir) => {
      const info = await probeMedia(await makeClip(join(dir, 'b.mp4'), { rate: '24', seconds: 3, preset: 'veryfast', audio: true }));
      const full = await collect(decodeFrames(info));
      for (const range of [{ start: 0, end: 4 }, { start: 37, end: 45 }, { start: 70, end: 72 }]) {
        const part = await collect(decodeFrames(info, { range }));
        expect(part.map((f) => f.sourceIndex)).toEqual(full.slice(range.start, range.end).map((f) => f.sourceIndex));
        part.forEach((f, i) => {
          expect(f.index).toBe(i);
          expect(f.time).toEqual(full[range.start + i].time);
          expect(Buffer.compare(f.data, full[range.start + i].data), `frame ${range.start + i}`).toBe(0);
        });
      }
    });
  });

  it('decodes the two-birds sequence despite its numbering gaps, and a range of it', async () => {
    const info = await probeMedia(TWO_BIRDS, { fps: rational(10) });
    const all = await collect(decodeFrames(info));
    expect(all).toHaveLength(18);
    expect(all[17]).toMatchObject({ width: 568, height: 320, sourceIndex: 17, time: { num: 17, den: 10 } });
    const part = await collect(decodeFrames(info, { range: { start: 5, end: 8 } }));
    expect(part.map((f) => f.sourceIndex)).toEqual([5, 6, 7]);
    part.forEach((f, i) => expect(Buffer.compare(f.data, all[5 + i].data)).toBe(0));
    // Neighbouring frames really differ: the list does not repeat one image.
    expect(Buffer.compare(all[0].data, all[1].data)).not.toBe(0);
  });

  it('passes RGB image sequences (PNG, numbered from 1001) through bit-exact', async () => {
    await withTempDir(async (dir) => {
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=96x54:rate=10:duration=0.3', '-start_number', '1001', join(dir, 'plate.%04d.png')]);
      const info = await probeMedia(dir, { fps: rational(24) });
      expect(info.source).toMatchObject({ pattern: join(dir, 'plate.%04d.png'), numbers: [1001, 1002, 1003] });
      const { stdout } = await runProcess(ffmpegPaths().ffmpeg, ['-v', 'error', '-i', join(dir, 'plate.1002.png'), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
      for (const converter of ['zscale', 'swscale'] as const) {
        const frames = await collect(decodeFrames(info, { converter }));
        expect(frames).toHaveLength(3);
        expect(Buffer.compare(Buffer.from(frames[1].data), stdout), converter).toBe(0);
      }
    });
  });

  it("decodes to yuv420p in the stream's own values: byte for byte what ffmpeg's own YUV decode gives, ranges included", async () => {
    await withTempDir(async (dir) => {
      const path = await makeClip(join(dir, 'y.mp4'), { rate: '24', seconds: 1, preset: 'veryfast', audio: false });
      const info = await probeMedia(path);
      const frames = await collect(decodeFrames(info, { pixelFormat: 'yuv420p' }));
      expect(frames).toHaveLength(24);
      expect(frames.every((f) => f.yuv === 'yuv420p' && f.channels === 3 && f.width === 320 && f.height === 180 && f.data.length === (320 * 180 * 3) / 2)).toBe(true);
      const { stdout } = await runProcess(ffmpegPaths().ffmpeg, ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-']);
      expect(stdout.length).toBe(24 * 320 * 90 * 3);
      expect(Buffer.compare(Buffer.concat(frames.map((f) => f.data)), stdout)).toBe(0);
      const part = await collect(decodeFrames(info, { pixelFormat: 'yuv420p', range: { start: 10, end: 13 } }));
      expect(part.map((f) => f.sourceIndex)).toEqual([10, 11, 12]);
      part.forEach((f, i) => expect(Buffer.compare(f.data, frames[10 + i].data), `frame ${10 + i}`).toBe(0));
      // RGB frames are unchanged by the option's existence: no yuv marker, packed RGB24.
      const [rgb] = await collect(decodeFrames(info, { range: { start: 0, end: 1 } }));
      expect(rgb.yuv).toBeUndefined();
      expect(rgb.data.length).toBe(320 * 180 * 3);
    });
  });

  it("lays YUV frames out as ffmpeg's rawvideo does (odd sizes, 4:2:2, 10-bit), widening 8 to 10 bits without changing a level", async () => {
    await withTempDir(async (dir) => {
      // FFV1 4:4:4 takes an odd size, which x264 would round.
      const odd = join(dir, 'odd.mkv');
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=96x56:rate=10:duration=0.3', '-vf', 'scale=95:55,setsar=1', '-c:v', 'ffv1', '-pix_fmt', 'yuv444p', odd]);
      const info = await probeMedia(odd);
      for (const format of YUV_FORMATS) {
        const frames = await collect(decodeFrames(info, { pixelFormat: format }));
        const { stdout } = await runProcess(ffmpegPaths().ffmpeg, ['-v', 'error', '-i', odd, '-f', 'rawvideo', '-pix_fmt', format, '-']);
        expect(frames, format).toHaveLength(3);
        expect(frames.map((f) => f.data.length), format).toEqual(Array(3).fill(frameBytes(format, 95, 55)));
        expect(stdout.length, format).toBe(3 * frameBytes(format, 95, 55));
      }
      const scaled = await collect(decodeFrames(info, { pixelFormat: 'yuv422p10le', width: 48, height: 28 }));
      expect(scaled.map((f) => [f.width, f.height, f.data.length])).toEqual(Array(3).fill([48, 28, 48 * 28 * 2 * 2]));

      const clip = await probeMedia(await makeClip(join(dir, 'c.mp4'), { seconds: 0.25, audio: false }));
      const [y8] = await collect(decodeFrames(clip, { pixelFormat: 'yuv420p', range: { start: 0, end: 1 } }));
      const [y10] = await collect(decodeFrames(clip, { pixelFormat: 'yuv422p10le', range: { start: 0, end: 1 } }));
      const luma10 = new Uint16Array(y10.data.buffer, y10.data.byteOffset, 320 * 180);
      let mismatches = 0;
      for (let i = 0; i < 320 * 180; i++) if (luma10[i] !== y8.data[i] * 4) mismatches++;
      expect(mismatches).toBe(0);
    });
  });

  it('refuses to decode an RGB source to YUV (that would need a colour matrix), saying to decode it to RGB', async () => {
    await withTempDir(async (dir) => {
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=10:duration=0.2', join(dir, 'p.%03d.png')]);
      const info = await probeMedia(dir, { fps: rational(10) });
      expect(info.video!.pixelFormat).toBe('rgb24');
      await expect(collect(decodeFrames(info, { pixelFormat: 'yuv420p' }))).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringMatching(/to yuv420p without a colour conversion: its pictures are rgb24/),
      });
    });
  });

  it('turns rotated video upright: stored 64x32 with the white half left, turned 90° clockwise the white half is on top', async () => {
    await withTempDir(async (dir) => {
      const info = await probeMedia(await makeRotatedClip(dir));
      const [upright] = await collect(decodeFrames(info, { range: { start: 0, end: 1 } }));
      expect([upright.width, upright.height]).toEqual([32, 64]);
      const red = (x: number, y: number) => upright.data[(y * 32 + x) * 3];
      expect([red(0, 0), red(31, 0), red(0, 20)]).toEqual([255, 255, 255]);
      expect([red(0, 63), red(31, 63), red(0, 44)]).toEqual([0, 0, 0]);
    });
  });

  it('conforms VFR to the nominal rate: exactly frameCount frames', async () => {
    await withTempDir(async (dir) => {
      const file = await makeVfrClip(join(dir, 'vfr.mp4'));
      const info = await probeMedia(file);
      const frames = await collect(decodeFrames(info));
      expect(frames).toHaveLength(await vfrClipFrames(file));
      const part = await collect(decodeFrames(info, { range: { start: 40, end: 44 } }));
      part.forEach((f, i) => expect(Buffer.compare(f.data, frames[40 + i].data)).toBe(0));
    });
  });

  it('applies backpressure: a consumer that stops pulling leaves ffmpeg blocked, with about one frame in memory', async () => {
    await withTempDir(async (dir) => {
      // 10 s of 320x180: 41 MB of RGB if ffmpeg were allowed to run ahead.
      const info = await probeMedia(await makeClip(join(dir, 'long.mp4'), { seconds: 10, audio: false }));
      const frameBytes = 320 * 180 * 3;
      const counter: ReadCounter = { received: 0 };
      const it = decodeFrames(info, {}, counter)[Symbol.asyncIterator]();
      for (let i = 0; i < 3; i++) await it.next();
      await sleep(1500); // ample time for ffmpeg to decode the whole clip if nothing held it back
      const inFlight = counter.received - 3 * frameBytes;
      expect(inFlight).toBeLessThan(frameBytes + 256 * 1024);
      let rest = 0;
      while (!(await it.next()).done) rest++;
      expect(rest + 3).toBe(240);
      expect(counter.received).toBe(240 * frameBytes);
    });
  });

  it('stops ffmpeg when the consumer stops early, and rejects CANCELLED on abort', async () => {
    await withTempDir(async (dir) => {
      const info = await probeMedia(await makeClip(join(dir, 'c.mp4'), { seconds: 4, audio: false }));
      let n = 0;
      for await (const _ of decodeFrames(info)) if (++n === 2) break;
      expect(n).toBe(2);
      const controller = new AbortController();
      const pulled: number[] = [];
      const run = (async () => {
        for await (const f of decodeFrames(info, { signal: controller.signal })) {
          pulled.push(f.index);
          if (f.index === 4) controller.abort();
        }
      })();
      await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(pulled).toEqual([0, 1, 2, 3, 4]);
    });
  });

  it('refuses a range outside the clip (BAD_RANGE) and says when the file vanished (MEDIA_NOT_FOUND)', async () => {
    await withTempDir(async (dir) => {
      const path = await makeClip(join(dir, 'd.mp4'), { audio: false });
      const info = await probeMedia(path);
      await expect(collect(decodeFrames(info, { range: { start: 20, end: 30 } }))).rejects.toMatchObject({ code: 'BAD_RANGE' });
      const gone = { ...info, source: { kind: 'file' as const, path: join(dir, 'moved.mp4') } };
      await expect(collect(decodeFrames(gone))).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND', message: expect.stringContaining('moved.mp4') });
    });
  });
});

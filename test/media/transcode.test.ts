import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { encodeFrames } from '../../src/engine/media/encode';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { hasFilter } from '../../src/engine/media/ffmpegFilters';
import { probeMedia } from '../../src/engine/media/probe';
import { transcode } from '../../src/engine/media/transcode';
import type { Frame } from '../../src/engine/media/types';
import { rational } from '../../src/engine/util/rational';
import { ffmpeg, makeClip, makeOutOfRangeClip, makeRotatedClip, makeVfrClip, meanLuma, packetTimes, psnr, readableColour, vfrClipFrames, withTempDir } from './mediaFiles';

/** Walks two frame streams in step, calling `each` on pairs; returns how many pairs there were. */
async function zip(a: AsyncIterable<Frame>, b: AsyncIterable<Frame>, each: (x: Frame, y: Frame) => void): Promise<number> {
  const ia = a[Symbol.asyncIterator]();
  const ib = b[Symbol.asyncIterator]();
  let n = 0;
  for (;;) {
    const [x, y] = await Promise.all([ia.next(), ib.next()]);
    if (x.done || y.done) {
      expect(x.done && y.done, 'both streams end together').toBe(true);
      return n;
    }
    each(x.value, y.value);
    n++;
  }
}

async function collect(frames: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of frames) out.push(f);
  return out;
}

describe('transcode: decode → identity → encode', () => {
  it('round-trips a 1080p clip with audio through ProRes 422 HQ: same frames, timestamps, colour tags and audio length; PSNR > 40 dB', async () => {
    await withTempDir(async (dir) => {
      const src = await makeClip(join(dir, 'src.mp4'), { size: '1920x1080', rate: '25', seconds: 1, timecode: '10:00:00:00' });
      const out = join(dir, 'out.mov');
      const progress: number[] = [];
      const result = await transcode(src, out, { codec: 'prores_hq', onProgress: (done) => progress.push(done) });
      const srcInfo = await probeMedia(src);
      const v = result.info.video!;
      expect(result.frames).toBe(25);
      expect(progress.at(-1)).toBe(25);
      expect(v).toMatchObject({ codec: 'prores', profile: 'HQ', pixelFormat: 'yuv422p10le', width: 1920, height: 1080, frameCount: 25, fps: { num: 25, den: 1 } });
      expect(v.timeBase).toEqual(srcInfo.video!.timeBase);
      expect(v.colour).toEqual(await readableColour({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' }, 'range'));
      expect(result.info.startTimecode).toBe('10:00:00:00');
      expect(await packetTimes(out)).toEqual(await packetTimes(src));
      expect(result.info.audio).toHaveLength(1);
      expect(result.info.audio[0]).toMatchObject({ codec: 'pcm_s24le', sampleRate: 48000 });
      expect(result.info.audio[0].duration).toBeCloseTo(1, 3);

      let worst = Infinity;
      const n = await zip(decodeFrames(srcInfo), decodeFrames(result.info), (a, b) => {
        expect(b.time).toEqual(a.time);
        worst = Math.min(worst, psnr(a.data, b.data));
      });
      expect(n).toBe(25);
      console.log(`round-trip worst-frame PSNR ${worst.toFixed(2)} dB`);
      expect(worst).toBeGreaterThan(40);
    });
  });

  it('delivers H.264 → H.264 with B-frames: same frames, timestamps, colour tags, timecode and audio; PSNR > 40 dB', async () => {
    await withTempDir(async (dir) => {
      const src = await makeClip(join(dir, 'src.mp4'), { size: '640x360', rate: '25', seconds: 1, preset: 'veryfast', timecode: '01:00:00:00' });
      const out = join(dir, 'out.mp4');
      const result = await transcode(src, out, { codec: 'h264' });
      const srcInfo = await probeMedia(src);
      expect(result.frames).toBe(25);
      expect(result.info.video).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', width: 640, height: 360, frameCount: 25, fps: { num: 25, den: 1 } });
      expect(result.info.video!.colour).toEqual({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' });
      expect(result.info.startTimecode).toBe('01:00:00:00');
      expect(await packetTimes(out)).toEqual(await packetTimes(src));
      expect(result.info.audio[0]).toMatchObject({ codec: 'aac', sampleRate: 48000 });
      expect(result.info.audio[0].duration).toBeCloseTo(1, 1);
      let worst = Infinity;
      const n = await zip(decodeFrames(srcInfo, { pixelFormat: 'yuv420p' }), decodeFrames(result.info, { pixelFormat: 'yuv420p' }), (a, b) => {
        expect(b.time).toEqual(a.time);
        worst = Math.min(worst, psnr(a.data, b.data));
      });
      expect(n).toBe(25);
      console.log(`H.264 → H.264 worst-frame PSNR (YUV) ${worst.toFixed(2)} dB`);
      expect(worst).toBeGreaterThan(40);
    });
  });

  it("keeps the stream's own YUV to ProRes and H.264: super-white and sub-black levels an RGB round trip would clip survive", async () => {
    await withTempDir(async (dir) => {
      const src = await makeOutOfRangeClip(join(dir, 'src.mp4'), { seconds: 0.4 });
      // The band: Y 250 on the left, Y 6 on the right (the edges left out, where the codecs blur).
      const levels = (f: Frame) => [meanLuma(f.data, 320, 8, 4, 152, 40), meanLuma(f.data, 320, 168, 4, 312, 40)];
      const [srcFrame] = await collect(decodeFrames(await probeMedia(src), { pixelFormat: 'yuv420p', range: { start: 0, end: 1 } }));
      expect(levels(srcFrame).map(Math.round)).toEqual([250, 6]);
      for (const [codec, name] of [['prores_hq', 'o.mov'], ['h264', 'o.mp4']] as const) {
        const result = await transcode(src, join(dir, name), { codec });
        expect(result.frames).toBe(10);
        expect(result.info.video!.colour.matrix).toBe('bt709');
        const back = await collect(decodeFrames(result.info, { pixelFormat: 'yuv420p' }));
        expect(back).toHaveLength(10);
        for (const f of back) {
          const [white, black] = levels(f);
          // Through RGB these would be 235 and 16.
          expect(white, `${codec} frame ${f.index}`).toBeGreaterThan(247);
          expect(black, `${codec} frame ${f.index}`).toBeLessThan(9);
        }
      }
    });
  });

  it('goes through RGB where a YUV pass-through would mislabel the picture: an untagged SD-sized clip rounded up to an HD size', async () => {
    await withTempDir(async (dir) => {
      // 1279x719 with no colour tags reads as BT.601 (SD); H.264 needs 1280x720, which is written
      // and tagged as BT.709 (HD). Passing the YUV through would keep BT.601 values under a BT.709 tag.
      const src = join(dir, 'sd.mkv');
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=0.12', '-vf', 'scale=1279:719:out_color_matrix=bt601,setsar=1', '-c:v', 'ffv1', '-pix_fmt', 'yuv444p', src]);
      const srcInfo = await probeMedia(src);
      expect(srcInfo.video!.colour.matrix).toBeUndefined();
      const result = await transcode(src, join(dir, 'hd.mp4'), { codec: 'h264' });
      expect(result.info.video).toMatchObject({ width: 1280, height: 720, frameCount: 3 });
      expect(result.info.video!.colour.matrix).toBe('bt709');
      expect(result.warnings.join()).toMatch(/scaled from 1279x719 to 1280x720/);
      let worst = Infinity;
      await zip(decodeFrames(srcInfo, { width: 1280, height: 720 }), decodeFrames(result.info), (a, b) => {
        worst = Math.min(worst, psnr(a.data, b.data));
      });
      console.log(`untagged 1279x719 → 1280x720 BT.709, worst-frame PSNR (RGB) ${worst.toFixed(2)} dB`);
      expect(worst).toBeGreaterThan(35);
    });
  });

  it('cuts an exact range with its audio, moving the timecode on', async () => {
    await withTempDir(async (dir) => {
      const src = await makeClip(join(dir, 'src.mov'), { codec: 'prores', rate: '24', seconds: 2, timecode: '01:00:00:00' });
      const result = await transcode(src, join(dir, 'cut.mov'), { codec: 'dnxhr_hq', range: { start: 12, end: 36 } });
      expect(result.frames).toBe(24);
      expect(result.info.video).toMatchObject({ codec: 'dnxhd', frameCount: 24, pixelFormat: 'yuv422p' });
      expect(result.info.startTimecode).toBe('01:00:00:12');
      expect(result.info.audio[0].duration).toBeCloseTo(1, 3);
      // Frame 0 of the cut is frame 12 of the source.
      const srcInfo = await probeMedia(src);
      await zip(decodeFrames(srcInfo, { range: { start: 12, end: 36 } }), decodeFrames(result.info), (a, b) => {
        expect(psnr(a.data, b.data)).toBeGreaterThan(35);
      });
    });
  });

  it('writes DNxHR HQ in MXF for Avid, with 48 kHz PCM, colour and timecode', async () => {
    await withTempDir(async (dir) => {
      const src = await makeClip(join(dir, 'src.mp4'), { rate: '25', seconds: 1, timecode: '02:00:00:00' });
      const result = await transcode(src, join(dir, 'avid.mxf'), { codec: 'dnxhr_hq', range: { start: 5, end: 20 } });
      expect(result.info.container).toBe('mxf');
      expect(result.info.video).toMatchObject({ codec: 'dnxhd', frameCount: 15, fps: { num: 25, den: 1 } });
      expect(result.info.video!.colour).toMatchObject({ matrix: 'bt709', range: 'tv' });
      expect(result.info.startTimecode).toBe('02:00:00:05');
      expect(result.info.audio[0]).toMatchObject({ codec: 'pcm_s24le', sampleRate: 48000 });
      expect(result.info.audio[0].duration).toBeCloseTo(0.6, 3);
      await expect(transcode(src, join(dir, 'x.mxf'), { codec: 'prores_hq' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/ProRes 422 HQ cannot be written to a \.mxf file/) });
    });
  });

  it('delivers H.264 in .mp4 (AAC audio) and HEVC in .mkv, keeping frame count and colour', async () => {
    await withTempDir(async (dir) => {
      const src = await makeClip(join(dir, 'src.mp4'), { rate: '30000/1001', seconds: 1 });
      const h264 = await transcode(src, join(dir, 'o.mp4'), { codec: 'h264' });
      expect(h264.info.video).toMatchObject({ codec: 'h264', frameCount: 30, fps: { num: 30000, den: 1001 }, pixelFormat: 'yuv420p' });
      expect(h264.info.video!.colour.matrix).toBe('bt709');
      expect(h264.info.audio[0].codec).toBe('aac');
      const hevc = await transcode(src, join(dir, 'o.mkv'), { codec: 'hevc' });
      expect(hevc.info.video).toMatchObject({ codec: 'hevc', frameCount: 30 });
      expect(hevc.info.audio[0].codec).toBe('pcm_s24le');
    });
  });

  it('writes rotated and VFR sources upright and at constant rate, with warnings', async () => {
    await withTempDir(async (dir) => {
      const rotated = await transcode(await makeRotatedClip(dir), join(dir, 'r.mov'), { codec: 'prores_hq' });
      expect(rotated.info.video).toMatchObject({ width: 32, height: 64, rotation: 0 });
      expect(rotated.warnings.join()).toMatch(/rotated 90°/);
      const vfrSource = await makeVfrClip(join(dir, 'vfr.mp4'));
      const vfr = await transcode(vfrSource, join(dir, 'v.mov'), { codec: 'prores_hq' });
      expect(vfr.info.video).toMatchObject({ frameCount: await vfrClipFrames(vfrSource), variableFrameRate: false, fps: { num: 30, den: 1 } });
      expect(vfr.warnings.join()).toMatch(/variable frame rate/);
    });
  });

  it('turns the two-birds image sequence into a clip at the rate the user set', async () => {
    await withTempDir(async (dir) => {
      const info = await probeMedia(join(import.meta.dirname, '../../../shared/fixtures/two-birds'), { fps: rational(12) });
      const result = await transcode(info.source, join(dir, 'birds.mov'), { codec: 'prores_hq', info });
      expect(result.info.video).toMatchObject({ width: 568, height: 320, frameCount: 18, fps: { num: 12, den: 1 } });
      expect(result.info.audio).toEqual([]);
    });
  });

  it('rounds an odd picture size to what a 4:2:0 codec takes, and says so', async () => {
    await withTempDir(async (dir) => {
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=96x56:rate=10:duration=0.3', '-vf', 'scale=95:55,setsar=1', join(dir, 'odd_%03d.png')]);
      const result = await transcode(dir, join(dir, 'even.mp4'), { codec: 'h264' });
      expect(result.info.video).toMatchObject({ width: 96, height: 56, frameCount: 3 });
      expect(result.warnings.join()).toMatch(/scaled from 95x55 to 96x56/);
    });
  });

  it('round-trips through the swscale fallback (ffmpeg builds without zscale) about as well as through zscale', async () => {
    await withTempDir(async (dir) => {
      expect(await hasFilter(ffmpegPaths(), 'scale')).toBe(true);
      expect(await hasFilter(ffmpegPaths(), 'no_such_filter')).toBe(false);
      const srcInfo = await probeMedia(await makeClip(join(dir, 'src.mp4'), { seconds: 0.5 }));
      const v = srcInfo.video!;
      const worstPsnr = async (converter: 'swscale' | 'zscale') => {
        const out = join(dir, `${converter}.mov`);
        await encodeFrames(decodeFrames(srcInfo, { converter }), {
          output: out, codec: 'prores_hq', width: v.width, height: v.height, fps: v.fps, colour: v.colour, converter,
        });
        const outInfo = await probeMedia(out);
        expect(outInfo.video!.colour).toEqual(await readableColour(v.colour, 'range'));
        let worst = Infinity;
        const n = await zip(decodeFrames(srcInfo, { converter }), decodeFrames(outInfo, { converter }), (a, b) => {
          worst = Math.min(worst, psnr(a.data, b.data));
        });
        expect(n).toBe(12);
        return worst;
      };
      const sws = await worstPsnr('swscale');
      const zimg = await worstPsnr('zscale');
      console.log(`320x180 testsrc2 round trip, worst frame: swscale ${sws.toFixed(2)} dB, zscale ${zimg.toFixed(2)} dB`);
      // Small testsrc2 frames are nearly all saturated colour edges: the hardest case for 4:2:x.
      expect(sws).toBeGreaterThan(35);
      expect(Math.abs(sws - zimg)).toBeLessThan(2);
    });
  });
});

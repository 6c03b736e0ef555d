import { describe, expect, it } from 'vitest';
import { fromRgbFilter, fromYuvFilter, isYuvStream, keepsYuv, toYuvFilter } from '../../src/engine/media/colourSpace';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { runProcess } from '../../src/engine/util/runProcess';

const bt709 = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' } as const;
const hd = { width: 1920, height: 1080 };

describe('frames that stay in the stream’s YUV', () => {
  it('counts YUV decoder formats as YUV, and RGB, gray and palette ones as not', () => {
    for (const f of ['yuv420p', 'yuvj420p', 'yuv422p10le', 'yuva444p10le', 'yuv444p12le', 'nv12', 'p010le', 'uyvy422', 'yuyv422']) expect(isYuvStream(f), f).toBe(true);
    for (const f of ['rgb24', 'rgba', 'gbrp10le', 'bgr0', 'gray', 'gray16be', 'ya8', 'pal8', 'xyz12le', 'monow', '']) expect(isYuvStream(f), f).toBe(false);
  });

  it('passes YUV through only when it is read and written with the same matrix and range', () => {
    expect(keepsYuv({ pixelFormat: 'yuv420p', colour: bt709, ...hd }, { colour: bt709, ...hd })).toBe(true);
    // Untagged: the size convention decides, the same on both sides at the same size.
    expect(keepsYuv({ pixelFormat: 'yuv420p', colour: {}, width: 720, height: 576 }, { colour: {}, width: 720, height: 576 })).toBe(true);
    // bt470bg and smpte170m are two names for the BT.601 matrix.
    expect(keepsYuv({ pixelFormat: 'yuv420p', colour: { matrix: 'bt470bg' }, width: 720, height: 576 }, { colour: { matrix: 'smpte170m' }, width: 720, height: 576 })).toBe(true);
    expect(keepsYuv({ pixelFormat: 'yuvj420p', colour: { ...bt709, range: 'pc' }, ...hd }, { colour: { ...bt709, range: 'pc' }, ...hd })).toBe(true);
    // An untagged clip whose rounded size crosses into HD is read as BT.601 but written as BT.709.
    expect(keepsYuv({ pixelFormat: 'yuv444p', colour: {}, width: 1279, height: 719 }, { colour: {}, width: 1280, height: 720 })).toBe(false);
    expect(keepsYuv({ pixelFormat: 'yuv420p', colour: bt709, ...hd }, { colour: { ...bt709, matrix: 'bt2020nc' }, ...hd })).toBe(false);
    expect(keepsYuv({ pixelFormat: 'yuv420p', colour: bt709, ...hd }, { colour: { ...bt709, range: 'pc' }, ...hd })).toBe(false);
    // RGB sources need a matrix to become YUV at all.
    expect(keepsYuv({ pixelFormat: 'rgb24', colour: bt709, ...hd }, { colour: bt709, ...hd })).toBe(false);
  });

  it('builds filters that change layout and size but never the matrix or range, and tag the frames for the encoder', () => {
    const decode = toYuvFilter({ range: 'pc' }, 1920, 1080, 1280, 720, 'yuv422p10le');
    expect(decode).toBe('scale=w=1280:h=720:in_range=pc:out_range=pc:flags=lanczos+accurate_rnd,setsar=1,format=yuv422p10le');
    expect(decode).not.toMatch(/color_matrix|matrix=/);
    expect(fromYuvFilter(bt709, 'yuv420p')).toBe(
      'scale=in_range=tv:out_range=tv:flags=lanczos+accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv',
    );
  });
});

describe('gray frames (mattes) to YUV', () => {
  const levels = Buffer.from(Array.from({ length: 64 * 16 }, (_, i) => (i * 37 + (i >> 6)) & 255)); // every level, in no order
  const convert = async (filter: string) => {
    const args = ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'gray', '-s', '64x16', '-i', 'pipe:0', '-vf', filter, '-f', 'rawvideo', '-'];
    return (await runProcess(ffmpegPaths().ffmpeg, args, { input: levels })).stdout;
  };

  it('go to zimg as they are, with the bytes widening them to planar RGB first gives', async () => {
    const gray = { primaries: 'bt709', transfer: 'bt709' } as const;
    for (const range of ['tv', 'pc'] as const) {
      for (const format of ['yuv420p', 'yuv422p10le', 'yuv444p10le']) {
        for (const matrix of ['bt709', 'smpte170m']) {
          const colour = { ...gray, matrix, range };
          const direct = fromRgbFilter(colour, format, 'zscale', 'gray');
          expect(direct).not.toContain('gbrp');
          expect(await convert(direct), `${range} ${format} ${matrix}`).toEqual(await convert(fromRgbFilter(colour, format, 'zscale')));
        }
      }
    }
  });

  it('still take swscale’s own conversion where zimg is not used', () => {
    const colour = { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' } as const;
    expect(fromRgbFilter(colour, 'yuv422p10le', 'swscale', 'gray')).toBe(fromRgbFilter(colour, 'yuv422p10le', 'swscale'));
  });
});

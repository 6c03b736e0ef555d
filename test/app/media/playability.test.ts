import { describe, expect, it } from 'vitest';
import { contentTypeFor, playbackFor as playbackForFacts } from '../../../src/engine/app/media/playability';
import type { MediaInfo, VideoStreamInfo } from '../../../src/engine/media/types';

function info(video: Partial<VideoStreamInfo> | null, extra: Partial<MediaInfo> = {}): MediaInfo {
  const v: VideoStreamInfo | null = video && {
    index: 0, codec: 'h264', width: 1920, height: 1080, displayWidth: 1920, displayHeight: 1080,
    sampleAspect: { num: 1, den: 1 }, rotation: 0, fps: { num: 24, den: 1 }, variableFrameRate: false,
    timeBase: { num: 1, den: 12288 }, frameCount: 48, duration: 2, startTime: 0, pixelFormat: 'yuv420p',
    bitDepth: 8, colour: {}, hasAlpha: false, ...video,
  };
  return {
    source: { kind: 'file', path: '/x.mov' }, path: '/x.mov', container: 'mov,mp4,m4a,3gp,3g2,mj2', duration: 2,
    video: v, audio: [], ...extra,
  };
}

/** The decision for a probe result, as the app makes it at import. */
const playbackFor = (i: MediaInfo, platform?: NodeJS.Platform) => playbackForFacts({ ...i, kind: i.source.kind }, platform);

describe('playbackFor', () => {
  it('plays 8-bit 4:2:0 H.264, VP9 and AV1 natively', () => {
    expect(playbackFor(info({ codec: 'h264' }))).toBe('native');
    expect(playbackFor(info({ codec: 'vp9', pixelFormat: 'yuv420p10le' }, { container: 'matroska,webm' }))).toBe('native');
    expect(playbackFor(info({ codec: 'av1' }))).toBe('native');
  });

  it('proxies what Chromium cannot decode', () => {
    expect(playbackFor(info({ codec: 'prores', pixelFormat: 'yuv422p10le' }))).toBe('proxy');
    expect(playbackFor(info({ codec: 'dnxhd', pixelFormat: 'yuv422p10le' }, { container: 'mxf' }))).toBe('proxy');
    expect(playbackFor(info({ codec: 'h264', pixelFormat: 'yuv422p10le' }))).toBe('proxy');
    expect(playbackFor(info({ codec: 'h264', hasAlpha: true }))).toBe('proxy');
    expect(playbackFor(info({ codec: 'h264' }, { container: 'avi' }))).toBe('proxy');
    const pcm = { index: 1, codec: 'pcm_s24le', sampleRate: 48000, channels: 2, duration: 2, startTime: 0 };
    expect(playbackFor(info({ codec: 'h264' }, { audio: [pcm] }))).toBe('proxy');
  });

  it('plays HEVC natively only where Electron has a platform decoder', () => {
    expect(playbackFor(info({ codec: 'hevc' }), 'linux')).toBe('proxy');
    expect(playbackFor(info({ codec: 'hevc', pixelFormat: 'yuv420p10le' }), 'darwin')).toBe('native');
    expect(playbackFor(info({ codec: 'hevc' }), 'win32')).toBe('native');
  });

  it('proxies image sequences', () => {
    const seq = info({ codec: 'png', pixelFormat: 'rgb24' }, {
      source: { kind: 'imageSequence', pattern: '/s/%04d.png', numbers: [1, 2], fps: { num: 24, den: 1 } },
    });
    expect(playbackFor(seq)).toBe('proxy');
  });

  it('names content types by extension', () => {
    expect(contentTypeFor('/a/B.MOV')).toBe('video/mp4');
    expect(contentTypeFor('/a/b.webm')).toBe('video/webm');
  });
});

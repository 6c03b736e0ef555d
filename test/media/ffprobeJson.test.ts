import { describe, expect, it } from 'vitest';
import { bitDepthOf, colourOf, frameRateOf, hasAlphaChannel, rotationOf, videoStreamOf, type FfprobeStream } from '../../src/engine/media/ffprobeJson';

const stream = (s: Partial<FfprobeStream>): FfprobeStream => ({ index: 0, codec_type: 'video', width: 1920, height: 1080, ...s });

describe('ffprobe JSON interpretation', () => {
  it('keeps NTSC rates exact and calls equal nominal and average rates constant', () => {
    expect(frameRateOf(stream({ r_frame_rate: '30000/1001', avg_frame_rate: '30000/1001' }))).toEqual({ fps: { num: 30000, den: 1001 }, variable: false });
    // A CFR file whose average is a rounded duration ratio is still CFR.
    expect(frameRateOf(stream({ r_frame_rate: '24000/1001', avg_frame_rate: '2997/125' }))?.variable).toBe(false);
  });

  it('treats a diverging average as VFR: nominal r_frame_rate when plausible, else the average snapped to a standard rate', () => {
    expect(frameRateOf(stream({ r_frame_rate: '30/1', avg_frame_rate: '45000000/1933333' }))).toEqual({ fps: { num: 30, den: 1 }, variable: true });
    // Phones often report a 90 kHz "rate" that is no camera rate: use the average, snapped.
    expect(frameRateOf(stream({ r_frame_rate: '90000/1', avg_frame_rate: '2985/100' }))).toEqual({ fps: { num: 30000, den: 1001 }, variable: true });
    expect(frameRateOf(stream({ r_frame_rate: '90000/1', avg_frame_rate: '5998/100' }))).toEqual({ fps: { num: 60, den: 1 }, variable: true });
    // Nothing standard within 2%: the rounded average.
    expect(frameRateOf(stream({ r_frame_rate: '90000/1', avg_frame_rate: '3300/100' }))).toEqual({ fps: { num: 33, den: 1 }, variable: true });
    expect(frameRateOf(stream({ r_frame_rate: '0/0', avg_frame_rate: '0/0' }))).toBeUndefined();
  });

  it('turns the display matrix (counter-clockwise) and the legacy rotate tag (clockwise) into clockwise degrees', () => {
    expect(rotationOf(stream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }))).toBe(90);
    expect(rotationOf(stream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }))).toBe(270);
    expect(rotationOf(stream({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180 }] }))).toBe(180);
    expect(rotationOf(stream({ tags: { rotate: '90' } }))).toBe(90);
    expect(rotationOf(stream({}))).toBe(0);
  });

  it('applies rotation and pixel aspect to the display size', () => {
    const v = videoStreamOf(stream({ width: 1440, height: 1080, sample_aspect_ratio: '4:3', r_frame_rate: '25/1', avg_frame_rate: '25/1', nb_frames: '50', side_data_list: [{ rotation: -90 }] }), 2)!;
    expect([v.displayWidth, v.displayHeight, v.rotation]).toEqual([1080, 1920, 90]);
    expect(v.frameCount).toBe(50);
  });

  it('counts VFR frames at the nominal rate (what the conformed decode yields), CFR frames from the container', () => {
    const vfr = videoStreamOf(stream({ r_frame_rate: '30/1', avg_frame_rate: '45000000/1933333', nb_frames: '45', duration: '1.933333' }), undefined)!;
    expect(vfr.frameCount).toBe(58);
    const mkv = videoStreamOf(stream({ r_frame_rate: '25/1', avg_frame_rate: '25/1' }), 4, 99)!;
    expect(mkv.frameCount).toBe(99);
  });

  it('drops colour values that mean unknown and reads depth and alpha off the pixel format', () => {
    expect(colourOf(stream({ color_primaries: 'unknown', color_space: 'bt709', color_range: 'tv', color_transfer: 'unspecified' }))).toEqual({ matrix: 'bt709', range: 'tv' });
    expect(bitDepthOf('yuv422p10le', undefined)).toBe(10);
    expect(bitDepthOf('yuv420p', undefined)).toBe(8);
    expect(bitDepthOf('rgb48le', undefined)).toBe(16);
    expect(hasAlphaChannel('yuva444p10le')).toBe(true);
    expect(hasAlphaChannel('yuv420p')).toBe(false);
  });
});

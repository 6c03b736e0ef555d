import { describe, expect, it } from 'vitest';
import type { MediaItemDto, SequenceDto, TrackDto } from '../../src/api/schemas/project';
import { dropPlacement, dropTracks, mediaLengthInSequence, rangeFree } from '../../src/renderer/src/timeline/dropMath';

/* Dropping a bin item on the timeline: tracks, snapped position, whether it fits (pure, in Node). */

const clip = (position: number, duration: number) => ({ position, duration }) as TrackDto['clips'][number];
const track = (id: string, kind: TrackDto['kind'], clips: Array<[number, number]> = []): TrackDto => ({ id, kind, name: id, clips: clips.map(([p, d]) => clip(p, d)) });
const seq = (tracks: TrackDto[]): SequenceDto => ({ fps: { num: 24, den: 1 }, tracks }) as SequenceDto;
const video = (frames: number, fps = { num: 25, den: 1 }, audio = true) =>
  ({ kind: 'file', info: { duration: frames / (fps.num / fps.den), video: { frameCount: frames, fps }, audio: audio ? [{}] : [] } }) as unknown as MediaItemDto;
const sound = (seconds: number) => ({ kind: 'file', info: { duration: seconds, video: null, audio: [{}] } }) as unknown as MediaItemDto;
const plate = { kind: 'imageSequence', info: { duration: 2, video: { frameCount: 50, fps: { num: 25, den: 1 } }, audio: [] } } as unknown as MediaItemDto;

describe('drop from the bin', () => {
  it('lasts the media in real time at the sequence rate', () => {
    expect(mediaLengthInSequence(video(50), { num: 24, den: 1 })).toBe(48);
    expect(mediaLengthInSequence(video(24, { num: 24000, den: 1001 }), { num: 24000, den: 1001 })).toBe(24);
    expect(mediaLengthInSequence(sound(2.5), { num: 24, den: 1 })).toBe(60);
    expect(mediaLengthInSequence(video(1), { num: 24, den: 1 })).toBe(1);
  });

  it('puts the picture on the track under the pointer and its sound on the first audio track, or the other way round', () => {
    const v1 = track('V1', 'video');
    const v2 = track('V2', 'video');
    const a1 = track('A1', 'audio');
    const a2 = track('A2', 'audio');
    const s = seq([v1, v2, a1, a2]);
    expect(dropTracks(s, v2, video(10))).toEqual({ main: v2, sound: a1 });
    expect(dropTracks(s, a2, video(10))).toEqual({ main: v1, sound: a2 });
    expect(dropTracks(s, v2, video(10, undefined, false))).toEqual({ main: v2, sound: null });
    expect(dropTracks(s, v1, plate)).toEqual({ main: v1, sound: null });
    expect(dropTracks(s, a2, sound(1))).toEqual({ main: a2, sound: null });
    expect(dropTracks(s, v1, sound(1))).toEqual({ refused: 'Sound goes on an audio track' });
    expect(dropTracks(seq([a1]), a1, video(10))).toEqual({ refused: 'Add a video track for the picture' });
  });

  it('starts at the pointer, snaps either edge to a cut or the playhead within 8 px, never before 0', () => {
    const v1 = track('V1', 'video', [[0, 100]]);
    const a1 = track('A1', 'audio', [[0, 100]]);
    const tracks = { main: v1, sound: a1 };
    // 2 px per frame: reach is 4 frames.
    expect(dropPlacement(103, 48, tracks, [0, 100], 2)).toEqual({ position: 100, length: 48, snapped: true, fits: true });
    expect(dropPlacement(110, 48, tracks, [0, 100], 2)).toEqual({ position: 110, length: 48, snapped: false, fits: true });
    // The tail edge snaps to the playhead at 200.
    expect(dropPlacement(150, 48, tracks, [0, 100, 200], 2)).toEqual({ position: 152, length: 48, snapped: true, fits: true });
    // Zoomed out (0.5 px a frame) the reach is 16 frames.
    expect(dropPlacement(114, 48, tracks, [0, 100], 0.5).position).toBe(100);
  });

  it('does not fit over another clip, on the picture track or on the sound track', () => {
    const v1 = track('V1', 'video', [[0, 100]]);
    const a1 = track('A1', 'audio', [[120, 10]]);
    expect(dropPlacement(50, 20, { main: v1, sound: a1 }, [], 1).fits).toBe(false);
    expect(dropPlacement(105, 20, { main: v1, sound: a1 }, [], 1).fits).toBe(false);
    expect(dropPlacement(105, 20, { main: v1, sound: null }, [], 1).fits).toBe(true);
    expect(rangeFree(v1, 100, 120)).toBe(true);
    expect(rangeFree(v1, 99, 120)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { SequenceDto } from '../../src/api/schemas/project';
import { actions } from '../../src/renderer/src/actions/registry';
import { initialState } from '../../src/renderer/src/store/appStore';
import { adjacentEditPoint, rulerStep, scrollForZoom, snapFrame, snapMove, xToFrame, zoomToFit } from '../../src/renderer/src/timeline/geometry';
import { conformLabel, framesToTimecode, parseTimecodeFrames, sequenceTimecode, sourceFrameAt } from '../../src/renderer/src/timeline/timecode';
import { pictureAt } from '../../src/renderer/src/viewer/programMap';

/* The renderer's pure parts, in Node: timeline geometry, timecode, what the program shows, the key map. */

const fps25 = { num: 25, den: 1 };
const ntsc = { num: 30000, den: 1001 };

describe('timeline geometry', () => {
  it('maps pixels to whole frames and zooms around a point', () => {
    expect(xToFrame(39.9, 4)).toBe(9);
    expect(xToFrame(40, 4)).toBe(10);
    // The frame under x=200 stays under x=200 after zooming from 4 to 8 px/frame.
    const s = scrollForZoom(100, 200, 4, 8);
    expect((s + 200) / 8).toBe((100 + 200) / 4);
    expect(zoomToFit(1000, 1024)).toBeCloseTo(1000 / 1020, 3);
  });

  it('snaps within 8 px whatever the zoom, to the nearest point', () => {
    expect(snapFrame(101, [100, 110], 4)).toEqual({ frame: 100, snapped: true });
    expect(snapFrame(103, [100, 110], 4)).toEqual({ frame: 103, snapped: false });
    expect(snapFrame(103, [100, 110], 1)).toEqual({ frame: 100, snapped: true });
    expect(snapFrame(103, [100], 0.5)).toEqual({ frame: 100, snapped: true });
    expect(snapFrame(103, [100], 40)).toEqual({ frame: 103, snapped: false });
    // A block snaps by whichever edge is nearer a point.
    expect(snapMove(10, 0, 50, [62], 4)).toEqual({ delta: 12, snapped: true });
    expect(snapMove(10, 0, 50, [9], 4)).toEqual({ delta: 9, snapped: true });
  });

  it('chooses ruler ticks at least 90 px apart in frames or whole seconds', () => {
    expect(rulerStep(40, fps25).major).toBe(5);
    // At 24 fps the labelled frames divide the second: …:12, …:1:00, never …:10, …:20, …:1:06.
    const fps24 = { num: 24, den: 1 };
    expect(rulerStep(9, fps24).major).toBe(12);
    expect(rulerStep(30, fps24).major).toBe(3);
    expect(rulerStep(9, { num: 30000, den: 1001 }).major).toBe(10);
    for (const zoom of [2, 5, 9, 15, 30, 45]) expect(24 % rulerStep(zoom, fps24).major === 0 || rulerStep(zoom, fps24).major % 24 === 0).toBe(true);
    expect(rulerStep(4, fps25).major).toBe(25);
    expect(rulerStep(0.1, fps25).major % 25).toBe(0);
    expect(rulerStep(0.1, fps25).major * 0.1).toBeGreaterThanOrEqual(90);
  });

  it('finds the edit point before and after a frame', () => {
    expect(adjacentEditPoint([0, 18, 118], 18, 1)).toBe(118);
    expect(adjacentEditPoint([0, 18, 118], 18, -1)).toBe(0);
    expect(adjacentEditPoint([0, 18, 118], 118, 1)).toBeNull();
  });
});

describe('timecode', () => {
  it('labels frames from the start timecode at the sequence rate', () => {
    expect(sequenceTimecode(0, fps25, '01:00:00:00')).toBe('01:00:00:00');
    expect(sequenceTimecode(118, fps25, '01:00:00:00')).toBe('01:00:04:18');
    expect(parseTimecodeFrames('01:00:00:25', fps25)).toBeNull();
    expect(parseTimecodeFrames('00:00:01:00', fps25)).toBe(25);
  });

  it('counts drop-frame as SMPTE does (29.97)', () => {
    expect(framesToTimecode(1800, ntsc, true)).toBe('00:01:00;02');
    expect(framesToTimecode(17982, ntsc, true)).toBe('00:10:00;00');
    expect(parseTimecodeFrames('00:01:00;02', ntsc)).toBe(1800);
  });

  it('says how a clip is conformed and which source frame plays', () => {
    expect(conformLabel({ num: 24, den: 1 }, fps25)).toBe('24 → 25 fps');
    expect(conformLabel(fps25, fps25)).toBeNull();
    expect(sourceFrameAt(25, { num: 24, den: 1 }, fps25)).toBe(24);
    expect(sourceFrameAt(10, fps25, fps25)).toBe(10);
  });
});

describe('program picture', () => {
  const take = (id: string, kind: 'original' | 'generated', sourceStart?: number) => ({ id, label: id, kind, mediaId: 'm', path: `/${id}.mov`, playback: 'native' as const, online: true, createdAt: '', sourceStart });
  const clip = (id: string, position: number, duration: number, sourceIn = 0, active = 'o') => ({
    id, name: id, mediaId: 'm', sourceIn, sourceOut: sourceIn + duration, position, duration,
    takes: [take('o', 'original'), take('g', 'generated', 5)], activeTakeId: active, sourceFps: fps25, linkedClipIds: [],
  });
  const seq: SequenceDto = {
    id: 's', name: 'S', fps: fps25, width: 1, height: 1, startTimecode: '01:00:00:00',
    tracks: [
      { id: 'v1', kind: 'video', name: 'V1', clips: [clip('a', 0, 10, 20, 'g'), clip('b', 20, 10)] },
      { id: 'v2', kind: 'video', name: 'V2', clips: [clip('c', 25, 10)] },
    ],
  };
  it('shows the topmost clip, the active take at its own frame, and nothing in a gap', () => {
    expect(pictureAt(seq, 3)).toMatchObject({ clip: { id: 'a' }, sourceFrame: 23, take: { id: 'g' }, takeFrame: 18 });
    expect(pictureAt(seq, 12)).toBeNull();
    expect(pictureAt(seq, 22)?.clip.id).toBe('b');
    expect(pictureAt(seq, 27)?.clip.id).toBe('c');
  });
});

describe('action registry', () => {
  const ev = (key: string, o: Partial<KeyboardEvent> = {}) => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...o }) as KeyboardEvent;
  it('gives every key of item 3 one action, and no key two', () => {
    const keys: [string, KeyboardEvent][] = [
      ['shuttleReverse', ev('j')], ['stop', ev('k')], ['shuttleForward', ev('l')], ['playPause', ev(' ')],
      ['markIn', ev('i')], ['markOut', ev('o')], ['stepBack', ev('ArrowLeft')], ['stepForward', ev('ArrowRight')],
      ['stepBack10', ev('ArrowLeft', { shiftKey: true })], ['stepForward10', ev('ArrowRight', { shiftKey: true })],
      ['prevEdit', ev('ArrowUp')], ['nextEdit', ev('ArrowDown')], ['goStart', ev('Home')], ['goEnd', ev('End')],
      ['split', ev('s')], ['split', ev('b', { ctrlKey: true })], ['undo', ev('z', { ctrlKey: true })], ['save', ev('s', { ctrlKey: true })],
      ['rippleDelete', ev('Delete', { shiftKey: true })], ['deleteClips', ev('Delete')], ['zoomIn', ev('+')], ['zoomOut', ev('-')],
    ];
    for (const [name, e] of keys) {
      const matching = actions.filter((a) => a.keyTest?.(e, initialState)).map((a) => a.name);
      expect(matching, `${e.key}`).toEqual([name]);
    }
    expect(new Set(actions.map((a) => a.name)).size).toBe(actions.length);
  });
});

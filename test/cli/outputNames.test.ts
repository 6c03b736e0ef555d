import { describe, expect, it } from 'vitest';
import { besideSource } from '../../src/cli/outputNames';

describe('besideSource (default output names)', () => {
  const fps = { num: 25, den: 1 };
  it("names a file's output after it, beside it", () => {
    expect(besideSource({ kind: 'file', path: '/shots/A001.mov' }, 'removed', '.mov')).toBe('/shots/A001_removed.mov');
    expect(besideSource({ kind: 'file', path: '/shots/take.2.mxf' }, 'prores_hq', '.mov')).toBe('/shots/take.2_prores_hq.mov');
  });

  it("puts an image sequence's output beside its folder, never into it, named after the frames' stem or the folder", () => {
    expect(besideSource({ kind: 'imageSequence', pattern: '/work/two-birds/%05d.jpg', numbers: [0, 1], fps }, 'removed', '.mov')).toBe('/work/two-birds_removed.mov');
    expect(besideSource({ kind: 'imageSequence', pattern: '/plates/a/plate.%04d.exr', numbers: [1], fps }, 'removed', '.mp4')).toBe('/plates/plate_removed.mp4');
    expect(besideSource({ kind: 'imageSequence', pattern: '/plates/shot_%d.png', numbers: [1], fps }, 'h264', '.mp4')).toBe('/shot_h264.mp4');
  });
});

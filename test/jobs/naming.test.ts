import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderName, rendersDirFor, safeFileNamePart } from '../../src/engine/jobs';
import { mediaSourceOf } from '../../src/engine/project/mediaSource';
import { Project } from '../../src/engine/project';
import { fakeHash, imageSequenceInfo, videoInfo } from '../project/mediaFixtures';

describe('render names and places', () => {
  it('puts renders beside a saved project in "<name> Renders", else in the data folder', () => {
    expect(rendersDirFor({ path: join('/p', 'show', 'Ep 1.lacuna'), name: 'Ep 1' }, '/data')).toBe(join('/p', 'show', 'Ep 1 Renders'));
    expect(rendersDirFor({ path: null, name: 'Untitled' }, '/data')).toBe(join('/data', 'renders'));
  });

  it('names renders by clip, what was done and take number, safely on every platform', () => {
    expect(renderName('A001_C002 interview.mp4', 'Transcode ProRes 422 HQ', 2)).toBe('A001_C002 interview.mp4 - Transcode ProRes 422 HQ - Take 2');
    expect(safeFileNamePart('shot 1/2: "best" take?')).toBe('shot 1_2_ _best_ take_');
    expect(safeFileNamePart('  trailing dots... ')).toBe('trailing dots');
    expect(safeFileNamePart('CON')).toBe('_CON');
    expect(safeFileNamePart('...')).toBe('untitled');
    expect(safeFileNamePart('x'.repeat(300))).toHaveLength(120);
  });
});

describe('mediaSourceOf', () => {
  it('reads a file entry as its path and an image sequence with its frame numbers expanded', () => {
    const p = Project.create({ name: 'P' });
    const file = p.addMedia(videoInfo('/m/a.mov'), fakeHash('a'));
    expect(mediaSourceOf(file)).toEqual({ kind: 'file', path: file.path });
    const numbers = [0, 5, 10, 15, 100, 101, 102];
    const seq = p.addMedia(imageSequenceInfo('/m/birds/%05d.jpg', numbers, { num: 12, den: 1 }), fakeHash('s'));
    expect(seq.kind === 'imageSequence' && seq.numberRuns).toEqual([{ start: 0, count: 4, step: 5 }, { start: 100, count: 3, step: 1 }]);
    expect(mediaSourceOf(seq)).toEqual({ kind: 'imageSequence', pattern: seq.path, numbers, fps: { num: 12, den: 1 } });
  });
});

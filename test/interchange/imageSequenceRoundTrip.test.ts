import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickSequence, projectToTimeline } from '../../src/engine/interchange/projectToTimeline';
import { loadProject } from '../../src/engine/project';
import { lacuna, resultOf } from '../cli/cliHarness';
import { canonical } from './canonical';

/*
 * An image sequence is linked in interchange files by its printf pattern (`plate/f_%03d.png`).
 * Import used to look for a file of that name and report "not found …/%03d.png". Done means:
 * a cut of a stepped-numbered sequence (frames 0, 2, 4, …, at 24 fps, not the 25 fps Lacuna
 * assumes for images), exported to every format Lacuna reads, comes back as the same timeline
 * on the same frames; moved elsewhere, it is found again under --search.
 */

let dir: string;
let projectPath: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lacuna-ix-seq-'));
  const plate = join(dir, 'plate');
  mkdirSync(plate);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x36:rate=24', '-frames:v', '20', join(plate, 'tmp_%03d.png')]);
  // Numbered in steps of 2: 000, 002, … 038.
  for (const name of readdirSync(plate)) renameSync(join(plate, name), join(plate, `f_${String((Number(name.slice(4, 7)) - 1) * 2).padStart(3, '0')}.png`));
  projectPath = join(dir, 'cut.lacuna');
  for (const args of [
    ['project', 'create', projectPath, '--fps', '24', '--size', '64x36'],
    ['project', 'add', projectPath, plate, '--fps', '24'],
  ]) {
    const r = await lacuna(...args);
    expect(r.code, r.stderr).toBe(0);
  }
  // Trim it so the source range is not the whole sequence: frames [3, 15) at timeline frame 0.
  const { updateProject } = await import('../../src/engine/project/update');
  await updateProject(projectPath, (project) => {
    const seq = project.doc.sequences[0];
    const clip = seq.tracks.find((t) => t.kind === 'video')!.clips[0];
    project.trimClip(clip.id, { sourceIn: 3, sourceOut: 15, position: 0 });
  });
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The timeline without empty tracks: EDL and FCPXML do not carry a track that holds nothing. */
async function timelineOf(path: string) {
  const { project } = await loadProject(path);
  const t = projectToTimeline(project.doc, pickSequence(project.doc));
  return { ...t, tracks: t.tracks.filter((tr) => tr.clips.length) };
}

describe.each([
  { format: 'otio', out: 'cut.otio', files: ['cut.otio'] },
  { format: 'otioz', out: 'cut.otioz', files: ['cut.otioz'] },
  { format: 'xml', out: 'cut.xml', files: ['cut.xml'] },
  { format: 'fcpxml', out: 'cut.fcpxml', files: ['cut.fcpxml'] },
  { format: 'edl', out: 'cut.edl', files: ['cut.edl'] },
])('$format: an image sequence comes back', ({ format, out, files }) => {
  it('as the same timeline on the same frames', async () => {
    const ex = await lacuna('export', projectPath, '-o', join(dir, out));
    expect(ex.code, ex.stderr).toBe(0);
    const target = join(dir, `back-${format}.lacuna`);
    const im = await lacuna('--json', 'import', ...files.map((f) => join(dir, f)), '--project', target, ...(format === 'edl' ? ['--fps', '24'] : []));
    expect(im.code, im.stderr).toBe(0);
    const report = resultOf(im) as { clips: number; media: { missing: string[] }; notes: unknown[] };
    expect(report.media.missing).toEqual([]);
    expect(report.clips).toBe(1);
    const before = canonical(await timelineOf(projectPath), { names: false });
    const after = canonical(await timelineOf(target), { names: false });
    expect(after).toEqual(before);
    expect(before.tracks[0].clips[0].shown).toEqual({ path: join(dir, 'plate', 'f_%03d.png'), in: 3, out: 15 });
    const { project } = await loadProject(target);
    const media = project.doc.media[0];
    expect(media.kind).toBe('imageSequence');
    if (media.kind === 'imageSequence') {
      expect(media.fps).toEqual({ num: 24, den: 1 });
      expect(media.numberRuns).toEqual([{ start: 0, count: 20, step: 2 }]);
    }
  }, 60_000);
});

describe('a moved image sequence', () => {
  it('is found under --search by its folder, and named in the report', async () => {
    const away = join(dir, 'away');
    mkdirSync(away);
    expect((await lacuna('export', projectPath, '-o', join(away, 'moved.otio'), '--path-map', `${dir}=/nowhere/shoot`)).code).toBe(0);
    const media = join(dir, 'library', 'deep');
    mkdirSync(media, { recursive: true });
    cpSync(join(dir, 'plate'), join(media, 'plate'), { recursive: true });
    const im = await lacuna('--json', 'import', join(away, 'moved.otio'), '--project', join(dir, 'moved.lacuna'), '--search', join(dir, 'library'));
    expect(im.code, im.stderr).toBe(0);
    const report = resultOf(im) as { media: { missing: string[] }; notes: Array<{ kind: string; message: string }> };
    expect(report.media.missing).toEqual([]);
    expect(report.notes.some((n) => n.kind === 'media' && n.message.includes(join(media, 'plate', 'f_%03d.png')))).toBe(true);
    const after = await timelineOf(join(dir, 'moved.lacuna'));
    expect(after.tracks[0].clips[0].shown.media.path).toBe(join(media, 'plate', 'f_%03d.png'));
  }, 60_000);

  it('with other frames under the same name is not taken for it (content hash)', async () => {
    const other = join(dir, 'other', 'plate');
    mkdirSync(other, { recursive: true });
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:size=64x36:rate=24', '-frames:v', '3', join(other, 'f_%03d.png')]);
    const away = join(dir, 'away2');
    mkdirSync(away);
    expect((await lacuna('export', projectPath, '-o', join(away, 'cut.otio'), '--path-map', `${dir}=/nowhere/shoot`)).code).toBe(0);
    const im = await lacuna('--json', 'import', join(away, 'cut.otio'), '--project', join(dir, 'wrong.lacuna'), '--search', join(dir, 'other'));
    expect(im.code).not.toBe(0);
    expect(im.stdout + im.stderr).toMatch(/not found \(looked for \/nowhere\/shoot\/plate\/f_%03d\.png\)/);
  }, 60_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickSequence, projectToTimeline } from '../../src/engine/interchange/projectToTimeline';
import { loadProject } from '../../src/engine/project';
import { lacuna, resultOf } from '../cli/cliHarness';
import { canonical } from './canonical';
import { makeFixture, type Fixture } from './fixtures';

/*
 * Done means: the project (two clips on two video tracks and sound, one with a real removal
 * take and its matte) exported to each format that Lacuna reads, imported back through the CLI
 * into a new project, gives the same timeline — positions, lengths, source ranges, the take
 * shown with its original and matte beside it — at 29.97 drop-frame across a minute boundary.
 */

let f: Fixture;
const dirs: string[] = [];
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lacuna-ix-rt-'));
  dirs.push(dir);
  f = await makeFixture(dir, { num: 30000, den: 1001 }, '01:00:59;20');
}, 240_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function timelineOf(projectPath: string, sequence?: string) {
  const { project } = await loadProject(projectPath);
  return projectToTimeline(project.doc, pickSequence(project.doc, sequence));
}

describe.each([
  { format: 'otio', files: ['cut.otio'], takeFacts: true },
  { format: 'xml', files: ['cut.xml'], takeFacts: true },
  { format: 'fcpxml', files: ['cut.fcpxml'], takeFacts: true },
  { format: 'edl', files: ['cut_V1.edl', 'cut_V2.edl'], takeFacts: true },
])('$format: export → import gives back the same timeline', ({ format, files, takeFacts }) => {
  it('round-trips through the CLI', async () => {
    const out = join(f.dir, format === 'edl' ? 'cut.edl' : files[0]);
    const ex = await lacuna('--json', 'export', f.projectPath, '-o', out, '--matte');
    expect(ex.code, ex.stderr).toBe(0);
    expect(resultOf(ex).files).toEqual(files.map((x) => join(f.dir, x)));
    const target = join(f.dir, `back-${format}.lacuna`);
    const im = await lacuna('--json', 'import', ...files.map((x) => join(f.dir, x)), '--project', target);
    expect(im.code, im.stderr).toBe(0);
    const report = resultOf(im) as { clips: number; media: { missing: string[] }; notes: unknown[] };
    expect(report.media.missing).toEqual([]);
    expect(report.notes).toEqual([]);
    const before = await timelineOf(f.projectPath);
    const after = await timelineOf(target);
    // The take's matte is part of the timeline here: the export was asked for it.
    expect(before.tracks[0].clips[0].matte).toBeDefined();
    expect(canonical(after, { takeFacts })).toEqual(canonical(before, { takeFacts }));
  }, 120_000);
});

describe('import reports what it cannot carry', () => {
  it('a media file that is nowhere is named, and the rest still comes in', async () => {
    const out = join(f.dir, 'gone.otio');
    expect((await lacuna('export', f.projectPath, '-o', out)).code).toBe(0);
    const { readFile, writeFile } = await import('node:fs/promises');
    await writeFile(out, (await readFile(out, 'utf8')).replaceAll('plateB.mov', 'plateB_missing.mov'));
    const im = await lacuna('--json', 'import', out, '--project', join(f.dir, 'gone.lacuna'));
    expect(im.code, im.stderr).toBe(0);
    const report = resultOf(im) as { clips: number; media: { missing: string[] }; notes: Array<{ kind: string; message: string }> };
    expect(report.clips).toBe(2);
    expect(report.media.missing).toEqual([join(f.dir, 'plateB_missing.mov')]);
    expect(report.notes.some((n) => n.kind === 'media' && n.message.includes('plateB_missing.mov not found'))).toBe(true);
  }, 60_000);

  it('media moved elsewhere is found under --search: by name, and a renamed file by its content hash', async () => {
    const { mkdir, cp } = await import('node:fs/promises');
    const moved = join(f.dir, 'moved');
    const away = join(f.dir, 'away');
    await mkdir(join(moved, 'deep'), { recursive: true });
    await mkdir(away);
    const out = join(away, 'moved.otio');
    expect((await lacuna('export', f.projectPath, '-o', out, '--path-map', `${f.dir}=/nowhere/media`)).code).toBe(0);
    await cp(f.a, join(moved, 'deep', 'plateA.mov'));
    await cp(f.b, join(moved, 'renamed.mov'));
    await cp(f.a, join(moved, 'plateB.mov')); // the right name, the wrong content: refused by the hash
    const im = await lacuna('--json', 'import', out, '--project', join(away, 'moved.lacuna'), '--search', moved);
    expect(im.code, im.stderr).toBe(0);
    const report = resultOf(im) as { clips: number; media: { missing: string[] }; notes: Array<{ kind: string; message: string }> };
    const messages = report.notes.map((n) => n.message);
    expect(messages).toContain(`relinked by name: ${join(moved, 'deep', 'plateA.mov')} (the file said /nowhere/media/plateA.mov)`);
    expect(messages).toContain(`relinked by content hash: ${join(moved, 'renamed.mov')} (the file said /nowhere/media/plateB.mov)`);
    // The take was not moved: clip A comes in as its original, and the report says so.
    expect(report.media.missing).toEqual([f.take.replace(f.dir, '/nowhere/media')]);
    expect(messages.some((m) => m.includes('not found; the original is imported without the take'))).toBe(true);
    expect(report.clips).toBe(3);
  }, 60_000);
});

describe('--originals (the app\'s "Clips link to: the original media")', () => {
  it('exports the cut as before any removal: every clip links its original, no take, no matte', async () => {
    const out = join(f.dir, 'originals.xml');
    const ex = await lacuna('--json', 'export', f.projectPath, '-o', out, '--originals', '--matte');
    expect(ex.code, ex.stderr).toBe(0);
    expect(resultOf(ex)).toMatchObject({ takes: 0 });
    const target = join(f.dir, 'originals.lacuna');
    const im = await lacuna('--json', 'import', out, '--project', target);
    expect(im.code, im.stderr).toBe(0);
    const back = await timelineOf(target);
    const source = await timelineOf(f.projectPath);
    const clips = back.tracks.flatMap((t) => t.clips);
    expect(clips.length).toBe(source.tracks.flatMap((t) => t.clips).length);
    expect(clips.every((c) => !c.take && !c.matte)).toBe(true);
    // The clip that had a take now shows its original media over the same range.
    const withTake = source.tracks.flatMap((t) => t.clips).find((c) => c.take)!;
    const same = clips.find((c) => c.position === withTake.position && c.shown.media.path === withTake.original!.media.path)!;
    expect(same).toBeDefined();
    expect([same.shown.sourceIn, same.shown.sourceOut]).toEqual([withTake.original!.sourceIn, withTake.original!.sourceOut]);
  }, 120_000);
});

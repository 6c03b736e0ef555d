import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/engine/project';
import { makeClip, tempDir } from '../app/fixtures';
import { lacuna, lacunaProcess, resultOf } from './cliHarness';

const tmp = tempDir('lacuna-cli-project-');
afterAll(() => tmp.cleanup());

describe('lacuna project', () => {
  const file = join(tmp.dir, 'doc.lacuna');

  it('creates a project with the sequence settings asked for, and never over an existing file', async () => {
    const run = await lacuna('project', 'create', file, '--fps', '25', '--size', '1280x720');
    expect(run.code, run.stderr).toBe(0);
    const { project } = await loadProject(file);
    expect(project.doc.settings).toMatchObject({ fps: { num: 25, den: 1 }, size: { width: 1280, height: 720 } });
    expect(project.doc.name).toBe('doc');
    const again = await lacuna('project', 'create', file);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('adds media as clips on the first sequence, reporting files it could not read', async () => {
    const a = makeClip(join(tmp.dir, 'a.mp4'), { seconds: 1, fps: '25' });
    const b = makeClip(join(tmp.dir, 'b.mp4'), { seconds: 1, fps: '25' });
    const run = await lacuna('--json', 'project', 'add', file, a, b, join(tmp.dir, 'missing.mov'));
    expect(run.code, run.stdout).toBe(0);
    const result = resultOf(run) as { added: { name: string; clipId: string }[]; failed: { path: string }[] };
    expect(result.added.map((x) => x.name)).toEqual(['a.mp4', 'b.mp4']);
    expect(result.failed.map((f) => f.path)).toEqual([join(tmp.dir, 'missing.mov')]);
    expect(run.lines.some((l) => l.type === 'warning' && String(l.message).includes('missing.mov'))).toBe(true);
    const { project } = await loadProject(file);
    const clips = project.doc.sequences[0].tracks.find((t) => t.kind === 'video')!.clips;
    expect(clips.map((c) => [c.name, c.position, c.sourceOut])).toEqual([['a.mp4', 0, 25], ['b.mp4', 25, 25]]);
    // Saved with a backup of the previous version, media paths stored relative.
    expect(existsSync(`${file}.bak`)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('"path": "a.mp4"');
  });

  it('lists the project as an outline (the real executable)', () => {
    const run = lacunaProcess(['project', 'list', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^doc {2}\(25 fps, 1280x720\)/);
    expect(run.stdout).toMatch(/clip \S+ {2}a\.mp4 {2}source 0-25 at 0/);
    expect(run.stdout).toMatch(/\* take \S+ {2}Original {2}\(original\)/);
  });

  it('says which clip names are ambiguous or unknown when choosing a take', async () => {
    const unknown = await lacuna('project', 'take', file, 'nope.mp4', 'original');
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('project list');
    const noTake = await lacuna('project', 'take', file, 'a.mp4', 'Take 9');
    expect(noTake.code).toBe(3);
    expect(noTake.stderr).toContain('Original');
  });

  it('transcodes a clip as its new active take through the job queue, saving the project', async () => {
    process.env.LACUNA_DATA_DIR = join(tmp.dir, 'cli-data');
    const run = await lacuna('--json', 'transcode', '--project', file, '--clip', 'b.mp4', '-c', 'prores_hq');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.lines.filter((l) => l.type === 'progress').at(-1)).toMatchObject({ stage: 'encoding', done: 25, total: 25 });
    const result = resultOf(run) as { takeId: string; file: string };
    expect(result.file).toBe(join(tmp.dir, 'doc Renders', 'b.mp4 - Transcode ProRes 422 HQ - Take 1.mov'));
    const { project } = await loadProject(file);
    const clip = project.doc.sequences[0].tracks[0].clips[1];
    expect(clip.activeTakeId).toBe(result.takeId);
    expect(project.activeSource(clip.id).media.path).toBe(result.file);

    const back = await lacuna('project', 'take', file, 'b.mp4', 'original');
    expect(back.code, back.stderr).toBe(0);
    const { project: after } = await loadProject(file);
    expect(after.doc.sequences[0].tracks[0].clips[1].activeTakeId).toBe(clip.takes[0].id);
  });

  it('refuses --project without --clip, or with a media file', async () => {
    const noClip = await lacuna('transcode', '--project', file);
    expect(noClip.code).toBe(2);
    expect(noClip.stderr).toContain('--clip');
    const both = await lacuna('transcode', join(tmp.dir, 'a.mp4'), '--project', file, '--clip', 'a.mp4');
    expect(both.code).toBe(2);
  });

  it('exits 5 for a file that is not a project', async () => {
    const run = await lacuna('project', 'list', join(tmp.dir, 'a.mp4'));
    expect(run.code).toBe(5);
  });
});

describe('lacuna --help', () => {
  it.each([[[]], [['probe']], [['transcode']], [['project']], [['project', 'add']], [['doctor']]])('answers for %j', async (cmd) => {
    const run = await lacuna(...cmd, '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: lacuna/);
  });
});

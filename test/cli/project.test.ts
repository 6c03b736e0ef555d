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

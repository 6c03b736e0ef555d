import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isApiError } from '../../src/api/errors';
import type { ProjectDto } from '../../src/api/schemas/project';
import { ProjectSchema } from '../../src/api/schemas/project';
import { appendClip } from '../../src/engine/app/clipPlacement';
import { importMedia } from '../../src/engine/app/mediaImport';
import { ProjectSession } from '../../src/engine/app/projectSession';
import { isLacunaError } from '../../src/engine/util/errors';
import { videoInfo } from '../project/mediaFixtures';
import { tempDir } from './fixtures';

/*
 * The project session and the pieces AppService builds on it, with the probe replaced by
 * probe-shaped data (ffprobe itself is the media module's concern); hashing, saving and
 * loading are real.
 */
let tmp: ReturnType<typeof tempDir>;
let published: (ProjectDto | null)[];
let session: ProjectSession;
const probe = async (path: string) => videoInfo(path, { frames: 48, width: 1280, height: 720 });

function file(name: string, bytes = 4096): string {
  const p = join(tmp.dir, name);
  writeFileSync(p, Buffer.alloc(bytes, name));
  return p;
}

beforeEach(() => {
  tmp = tempDir();
  published = [];
  session = new ProjectSession((p) => published.push(p));
});
afterEach(() => tmp.cleanup());

describe('ProjectSession', () => {
  it('starts a project with one empty sequence, clean, and publishes it', () => {
    const view = session.newProject('Interview', false);
    expect(ProjectSchema.parse(view)).toEqual(view);
    expect(view).toMatchObject({ name: 'Interview', path: null, dirty: false, history: { canUndo: false } });
    expect(view.sequences.map((s) => [s.name, s.tracks.map((t) => t.name)])).toEqual([['Sequence 1', ['V1', 'A1']]]);
    expect(published).toEqual([view]);
  });

  it('refuses calls that need a project when none is open', () => {
    expect(() => session.require()).toThrow(expect.objectContaining({ code: 'NO_PROJECT' }));
  });

  it('imports media as one undo step, reporting files it cannot read', async () => {
    const project = session.newProject('P', false) && session.require();
    const a = file('a.mov');
    const b = file('b.mov');
    const { imported, failed } = await importMedia(project, [a, b, join(tmp.dir, 'missing.mov'), a], probe);
    expect(imported.map((m) => m.name)).toEqual(['a.mov', 'b.mov']);
    expect(failed).toEqual([{ path: join(tmp.dir, 'missing.mov'), error: expect.objectContaining({ code: 'MEDIA_NOT_FOUND' }) }]);
    const view = published.at(-1)!;
    expect(view.dirty).toBe(true);
    expect(view.history.undoLabel).toBe('Import 2 Media Files');
    expect(view.media[0]).toMatchObject({ name: 'a.mov', role: 'source', playback: 'native', info: { video: { width: 1280, frameCount: 48 } } });
    project.undo();
    expect(published.at(-1)!.media).toEqual([]);
  });

  it('appends clips one after another on the first video track', async () => {
    const project = session.newProject('P', false) && session.require();
    const { imported } = await importMedia(project, [file('a.mov')], probe);
    appendClip(project, imported[0].id);
    appendClip(project, imported[0].id);
    const track = published.at(-1)!.sequences[0].tracks[0];
    expect(track.clips.map((c) => [c.position, c.duration, c.takes.map((t) => t.label)])).toEqual([
      [0, 48, ['Original']],
      [48, 48, ['Original']],
    ]);
    expect(() => appendClip(project, imported[0].id, 'seq_nope')).toThrow(/no sequence/);
  });

  it('shows generated takes with their engine, path and playback', async () => {
    const project = session.newProject('P', false) && session.require();
    const { imported } = await importMedia(project, [file('a.mov'), file('a_prores.mov')], probe);
    const clip = appendClip(project, imported[0].id);
    const take = project.addTake(clip.id, { mediaId: imported[1].id, params: { engine: 'transcode' }, jobId: 'job_1' });
    const view = published.at(-1)!;
    const c = view.sequences[0].tracks[0].clips[0];
    expect(c.activeTakeId).toBe(take.id);
    expect(c.takes[1]).toMatchObject({ kind: 'generated', engine: 'transcode', jobId: 'job_1', path: join(tmp.dir, 'a_prores.mov'), online: true });
    // Render outputs are not listed as imported sources.
    expect(view.media.map((m) => m.role)).toEqual(['source', 'take']);
    expect(session.paths()).toEqual(new Set([join(tmp.dir, 'a.mov'), join(tmp.dir, 'a_prores.mov')]));
  });

  it('will not drop unsaved changes unless told to', async () => {
    const project = session.newProject('First', false) && session.require();
    await importMedia(project, [file('a.mov')], probe);
    let error: unknown;
    try {
      session.newProject('Second', false);
    } catch (e) {
      error = e;
    }
    expect(isApiError(error, 'UNSAVED_CHANGES')).toBe(true);
    expect(session.require().doc.name).toBe('First');
    expect(session.newProject('Second', true).name).toBe('Second');
  });

  it('saves (adding .lacuna), reopens, and tracks dirty state', async () => {
    const project = session.newProject('P', false) && session.require();
    await importMedia(project, [file('a.mov')], probe);
    await expect(session.save()).rejects.toSatisfy((e) => isLacunaError(e, 'BAD_ARGUMENT'));
    const saved = await session.saveAs(join(tmp.dir, 'p'));
    expect(saved).toMatchObject({ path: join(tmp.dir, 'p.lacuna'), dirty: false });
    expect(published.at(-1)!.dirty).toBe(false);

    const reopened = new ProjectSession(() => {});
    const view = await reopened.open(join(tmp.dir, 'p.lacuna'), false);
    expect(view).toMatchObject({ path: join(tmp.dir, 'p.lacuna'), dirty: false, name: 'p' }); // Save As names the project after its file
    expect(view.media.map((m) => [m.name, m.online])).toEqual([['a.mov', true]]);
  });

  it('notices media that went offline', async () => {
    const project = session.newProject('P', false) && session.require();
    const a = file('a.mov');
    await importMedia(project, [a], probe);
    rmSync(a);
    const before = published.length;
    await session.refreshOnline();
    expect(published.length).toBe(before + 1);
    expect(published.at(-1)!.media[0].online).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/api/dispatch';
import { FCPXML_VERSIONS as API_FCPXML, TIMELINE_FORMATS, TIMELINE_IMPORT_FORMATS, TIMELINE_MATTES, TIMELINE_RENDERS } from '../../src/api/schemas/interchange';
import type { ProjectDto } from '../../src/api/schemas/project';
import { ProjectSession } from '../../src/engine/app/projectSession';
import { TimelineInterchange } from '../../src/engine/app/timelineInterchange';
import { FCPXML_VERSIONS } from '../../src/engine/interchange/fcpxml';
import { FORMATS, IMPORT_FORMATS } from '../../src/engine/interchange/model';
import { MATTE_CHOICES, RENDER_CHOICES } from '../../src/engine/interchange/renderMedia';
import { locateFfmpeg } from '../../src/engine/media/ffmpegLocator';
import { handlersFor } from '../api/handlersFor';
import { makeFixture, type Fixture } from './fixtures';

/*
 * The typed API File ▸ Export Timeline… and Import Timeline… call: through the dispatcher, so
 * input and output are validated at the boundary as over IPC, against the open project.
 */

let f: Fixture;
const dirs: string[] = [];
let published: Array<ProjectDto | null>;
let session: ProjectSession;
let dispatch: ReturnType<typeof createDispatcher>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lacuna-ix-api-'));
  dirs.push(dir);
  f = await makeFixture(dir, { num: 25, den: 1 }, '10:00:00:00');
  published = [];
  session = new ProjectSession((p) => published.push(p));
  await session.open(f.projectPath, false);
  const t = new TimelineInterchange(session, () => locateFfmpeg());
  dispatch = createDispatcher(handlersFor({ 'timeline.export': (i) => t.export(i), 'timeline.import': (i) => t.import(i) }));
}, 240_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('timeline.export / timeline.import', () => {
  it('offers exactly the engine’s choices', () => {
    expect([...TIMELINE_FORMATS]).toEqual([...FORMATS]);
    expect([...TIMELINE_IMPORT_FORMATS]).toEqual([...IMPORT_FORMATS]);
    expect([...TIMELINE_RENDERS]).toEqual([...RENDER_CHOICES]);
    expect([...TIMELINE_MATTES]).toEqual([...MATTE_CHOICES]);
    expect([...API_FCPXML]).toEqual([...FCPXML_VERSIONS]);
  });

  it('exports the open project and imports it back as a new sequence (one undo step), with the report', async () => {
    const out = join(f.dir, 'app.otio');
    const ex = await dispatch('timeline.export', { format: 'otio', path: out, matte: true });
    expect(ex.ok, JSON.stringify(ex)).toBe(true);
    if (!ex.ok) return;
    expect(ex.value).toMatchObject({ format: 'otio', files: [out], clips: 3, takes: 1, warnings: [] });
    const im = await dispatch('timeline.import', { paths: [out], name: 'Round trip' });
    expect(im.ok, JSON.stringify(im)).toBe(true);
    if (!im.ok) return;
    const v = im.value as { project: ProjectDto; clips: number; notes: unknown[]; media: { missing: string[] } };
    expect(v.clips).toBe(3);
    expect(v.notes).toEqual([]);
    expect(v.media.missing).toEqual([]);
    expect(v.project.sequences.map((s) => s.name)).toEqual(['Cut', 'Round trip']);
    expect(v.project.dirty).toBe(true);
    expect(v.project.history.undoLabel).toBe('Import Timeline');
    expect(published.at(-1)?.sequences.length).toBe(2);
  }, 60_000);

  it('exports the originals instead of the takes when asked (the dialog\'s "Clips link to")', async () => {
    const out = join(f.dir, 'originals.otio');
    const ex = await dispatch('timeline.export', { format: 'otio', path: out, media: 'originals', matte: true });
    expect(ex.ok, JSON.stringify(ex)).toBe(true);
    if (!ex.ok) return;
    expect(ex.value).toMatchObject({ clips: 3, takes: 0 });
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(basename(f.a));
    expect(text).not.toContain(basename(f.take));
    expect(text).not.toContain(basename(f.matte));
  }, 60_000);

  it('never writes over the open project file or its media, even when told to overwrite', async () => {
    for (const target of [f.projectPath, f.a]) {
      const before = readFileSync(target);
      const r = await dispatch('timeline.export', { format: 'otio', path: target, overwrite: true });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'WOULD_OVERWRITE_SOURCE', message: expect.stringMatching(/it is an input of this job/) });
      expect(readFileSync(target).equals(before)).toBe(true);
    }
  });

  it('refuses bad input at the boundary and says why', async () => {
    const r = await dispatch('timeline.export', { format: 'aaf', path: join(f.dir, 'x.aaf') });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('INVALID_INPUT');
    const missing = await dispatch('timeline.import', { paths: [join(f.dir, 'nothing.otio')] });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toContain('no file at');
  });
});

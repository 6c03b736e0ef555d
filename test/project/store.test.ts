import { cp, mkdir, readFile, rename, rm, writeFile, readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Project,
  loadProject,
  quickHashFile,
  quickHashImageSequence,
  removeStaleTempFiles,
  saveProject,
  type LoadResult,
} from '../../src/engine/project';
import { isLacunaError, type LacunaErrorCode } from '../../src/engine/util/errors';
import { saveTempPathFor as tempPathFor } from '../../src/engine/project/store';
import { expectSound, imageSequenceInfo, videoInfo, withTempDir } from './fixtures';

/** A project with real (tiny) media files under `root/media`, saved at `root/project/film.lacuna`. */
async function buildProject(root: string) {
  await mkdir(join(root, 'media', 'plates'), { recursive: true });
  await mkdir(join(root, 'project'), { recursive: true });
  const camPath = join(root, 'media', 'A001_C003.mov');
  const renderPath = join(root, 'media', 'A001_C003_take1.mov');
  await writeFile(camPath, 'camera original '.repeat(500));
  await writeFile(renderPath, 'rendered take '.repeat(400));
  const numbers = [1001, 1002, 1003, 1004];
  for (const n of numbers) await writeFile(join(root, 'media', 'plates', `sh010.${n}.exr`), `exr ${n}`.repeat(n - 1000));
  const pattern = join(root, 'media', 'plates', 'sh010.%04d.exr');

  const project = Project.create({ name: 'Ferry' });
  const seq = project.doc.sequences[0];
  const v1 = seq.tracks[0];
  const cam = project.addMedia(videoInfo(camPath, { frames: 240, timecode: '14:02:11:07' }), await quickHashFile(camPath));
  const render = project.addMedia(videoInfo(renderPath, { frames: 96, audio: false }), await quickHashFile(renderPath));
  const plate = project.addMedia(imageSequenceInfo(pattern, numbers), await quickHashImageSequence(pattern, numbers));
  const clip = project.addClip(seq.id, v1.id, cam.id, { sourceIn: 48, sourceOut: 144 });
  project.addTake(clip.id, {
    mediaId: render.id,
    params: { engine: 'lgvi', expression: 'the man on the left', seed: 7, extra: { dilate: 3 } },
    label: 'Man removed',
    jobId: 'job_1',
  });
  project.addClip(seq.id, v1.id, plate.id);
  const file = join(root, 'project', 'film.lacuna');
  await saveProject(project, file);
  return { project, file, camPath, renderPath, pattern, cam, render, plate };
}

/** The document minus `modified`, which every save stamps. */
function content(r: { doc: Project['doc'] }) {
  return { ...r.doc, modified: undefined };
}

async function expectLoadError(file: string, code: LacunaErrorCode, ...messages: RegExp[]) {
  let error: unknown;
  try {
    await loadProject(file);
  } catch (e) {
    error = e;
  }
  expect(isLacunaError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
  for (const m of messages) expect((error as Error).message).toMatch(m);
  return error as Error & { hint?: string };
}

describe('save and load', () => {
  it('round-trips everything, stores paths relative to the project folder, and marks the project saved', async () => {
    await withTempDir(async (root) => {
      const { project, file, camPath } = await buildProject(root);
      expect(project.dirty).toBe(false);
      expect(project.path).toBe(file);
      const text = await readFile(file, 'utf8');
      expect(text).toContain('"path": "../media/A001_C003.mov"');
      expect(text).toContain(`"absolutePath": ${JSON.stringify(camPath)}`);
      expect(text).toContain('"path": "../media/plates/sh010.%04d.exr"');
      expect(text).toContain('"fps": { "num": 24, "den": 1 }'); // compact, readable
      const loaded = await loadProject(file);
      expect(loaded.missingMedia).toEqual([]);
      expect(loaded.migratedFrom).toBeNull();
      expect(loaded.project.dirty).toBe(false);
      expect(content(loaded.project)).toEqual(content(project));
      expect(loaded.project.doc.media[0].path).toBe(camPath);
      expect(loaded.project.doc.media[0].absolutePath).toBeUndefined();
      expectSound(loaded.project);
    });
  });

  it('saves a loaded project byte for byte the same (apart from the save time)', async () => {
    await withTempDir(async (root) => {
      const { file } = await buildProject(root);
      const first = await readFile(file, 'utf8');
      const { project } = await loadProject(file);
      await saveProject(project, file);
      const strip = (t: string) => t.replace(/"modified": "[^"]+"/, '');
      expect(strip(await readFile(file, 'utf8'))).toBe(strip(first));
    });
  });

  it('keeps the previous version as .bak, and only a good one', async () => {
    await withTempDir(async (root) => {
      const { project, file } = await buildProject(root);
      await expect(readFile(`${file}.bak`)).rejects.toThrow(); // first save: nothing to keep
      const v1 = await readFile(file, 'utf8');
      project.rename('Ferry v2');
      await saveProject(project, file);
      expect(await readFile(`${file}.bak`, 'utf8')).toBe(v1);
      // The main file gets damaged by something else; the next save must not back up the damage.
      await writeFile(file, '{"format": "lacuna.proj');
      project.rename('Ferry v3');
      await saveProject(project, file);
      expect(await readFile(`${file}.bak`, 'utf8')).toBe(v1);
      expect((await loadProject(file)).project.doc.name).toBe('Ferry v3');
    });
  });

  it('edits made while a save is being written stay dirty', async () => {
    await withTempDir(async (root) => {
      const { project, file } = await buildProject(root);
      project.rename('During');
      const saving = saveProject(project, file);
      project.rename('After');
      await saving;
      expect(project.dirty).toBe(true);
      expect((await loadProject(file)).project.doc.name).toBe('During');
    });
  });

  it('removes temp files of crashed saves once they are old, and never the project', async () => {
    await withTempDir(async (root) => {
      const { file } = await buildProject(root);
      const stale = tempPathFor(file);
      const staleBak = tempPathFor(`${file}.bak`);
      const fresh = tempPathFor(file);
      for (const p of [stale, staleBak, fresh]) await writeFile(p, 'partial');
      const old = new Date(Date.now() - 3600_000);
      await utimes(stale, old, old);
      await utimes(staleBak, old, old);
      const removed = await removeStaleTempFiles(file);
      expect(removed.sort()).toEqual([stale, staleBak].sort());
      expect((await readdir(join(root, 'project'))).sort()).toEqual([fresh.split('/').pop(), 'film.lacuna'].sort());
    });
  });
});

describe('paths', () => {
  it('finds media again after the project folder moved together with the media', async () => {
    await withTempDir(async (root) => {
      const a = join(root, 'a');
      const { file } = await buildProject(a);
      const b = join(root, 'b');
      await rename(a, b); // the old absolute paths are gone now
      const loaded = await loadProject(join(b, 'project', 'film.lacuna'));
      expect(loaded.missingMedia).toEqual([]);
      expect(loaded.project.doc.media.map((m) => m.path)).toEqual([
        join(b, 'media', 'A001_C003.mov'),
        join(b, 'media', 'A001_C003_take1.mov'),
        join(b, 'media', 'plates', 'sh010.%04d.exr'),
      ]);
      expect(file).not.toContain('/b/');
    });
  });

  it('prefers the copy that travelled with the project over the original location', async () => {
    await withTempDir(async (root) => {
      const a = join(root, 'a');
      await buildProject(a);
      const b = join(root, 'b');
      await cp(a, b, { recursive: true });
      const loaded = await loadProject(join(b, 'project', 'film.lacuna'));
      expect(loaded.project.doc.media[0].path).toBe(join(b, 'media', 'A001_C003.mov'));
    });
  });

  it('finds media by its last absolute path when the project file moved alone', async () => {
    await withTempDir(async (root) => {
      const { file, camPath } = await buildProject(join(root, 'a'));
      await mkdir(join(root, 'elsewhere', 'deep'), { recursive: true });
      const moved = join(root, 'elsewhere', 'deep', 'film.lacuna');
      await rename(file, moved);
      const loaded = await loadProject(moved);
      expect(loaded.missingMedia).toEqual([]);
      expect(loaded.project.doc.media[0].path).toBe(camPath);
      // Saving here rewrites the relative paths for the new location.
      await saveProject(loaded.project, moved);
      expect(await readFile(moved, 'utf8')).toContain('"path": "../../a/media/A001_C003.mov"');
    });
  });

  it('reports missing media without failing the load', async () => {
    await withTempDir(async (root) => {
      const { file, renderPath } = await buildProject(root);
      await rm(renderPath);
      await rm(join(root, 'media', 'plates', 'sh010.1004.exr'));
      const loaded = await loadProject(file);
      expect(loaded.missingMedia).toEqual([
        { mediaId: loaded.project.doc.media[1].id, name: 'A001_C003_take1.mov', kind: 'file', path: renderPath },
        { mediaId: loaded.project.doc.media[2].id, name: 'sh010.[1001-1004].exr', kind: 'imageSequence', path: join(root, 'media', 'plates', 'sh010.%04d.exr') },
      ]);
      expect(loaded.project.doc.sequences[0].tracks[0].clips).toHaveLength(2);
    });
  });
});

describe('bad files', () => {
  async function withFile(text: string, fn: (file: string) => Promise<void>) {
    await withTempDir(async (dir) => {
      const file = join(dir, 'bad.lacuna');
      await writeFile(file, text);
      await fn(file);
    });
  }

  /** A valid saved document (no media on disk needed) to break in specific ways. */
  async function validDoc(): Promise<Record<string, unknown> & { sequences: Array<{ tracks: Array<{ clips: Array<Record<string, unknown>> }> }> }> {
    return withTempDir(async (root) => {
      const { file } = await buildProject(root);
      return JSON.parse(await readFile(file, 'utf8'));
    });
  }

  it('names line and column of a JSON syntax error', async () => {
    const text = '{\n  "format": "lacuna.project",\n  "version": 1,\n  "name": "x",\n}\n';
    await withFile(text, async (file) => {
      const e = await expectLoadError(file, 'PROJECT_INVALID', /bad\.lacuna is not valid JSON: line 5, column 1: trailing comma before \}/);
      expect(e.message).toContain('\n}\n^');
    });
  });

  it('says a truncated file ends too early, and where', async () => {
    const doc = await validDoc();
    const text = JSON.stringify(doc, null, 2);
    await withFile(text.slice(0, Math.floor(text.length / 2)), async (file) => {
      await expectLoadError(file, 'PROJECT_INVALID', /not valid JSON: line \d+, column \d+: /);
    });
  });

  it('says an empty file is empty', async () => {
    await withFile('', async (file) => {
      await expectLoadError(file, 'PROJECT_INVALID', /bad\.lacuna is empty/);
    });
  });

  it('recognises files that are not Lacuna projects', async () => {
    await withFile('[1, 2]', async (file) => {
      await expectLoadError(file, 'PROJECT_INVALID', /is not a Lacuna project: it holds an array/);
    });
    await withFile('{"format": "otio"}', async (file) => {
      await expectLoadError(file, 'PROJECT_INVALID', /format is "otio", expected "lacuna\.project"/);
    });
  });

  it('points at each invalid value by its JSON path', async () => {
    const doc = await validDoc();
    const clips = doc.sequences[0].tracks[0].clips;
    clips[0].sourceOut = 0;
    (doc.settings as { fps: { num: unknown } }).fps.num = '24';
    clips[1].sourceInn = 3;
    delete doc.name;
    (doc.media as Array<{ kind: string }>)[0].kind = 'video';
    await withFile(JSON.stringify(doc), async (file) => {
      const e = await expectLoadError(
        file,
        'PROJECT_INVALID',
        /bad\.lacuna is not a valid Lacuna project \(5 problems\)/,
        /- sequences\[0\]\.tracks\[0\]\.clips\[0\]\.sourceOut: expected number ≥ 1, got 0/,
        /- settings\.fps\.num: expected a number, got "24"/,
        /- sequences\[0\]\.tracks\[0\]\.clips\[1\]\.sourceInn: unknown key/,
        /- name: missing \(expected a string\)/,
        /- media\[0\]\.kind: expected "file" or "imageSequence", got "video"/,
      );
      expect(e.hint).toMatch(/fix the places listed/);
      expect(e.hint).not.toMatch(/backup/); // there is none here
    });
  });

  it('reports broken references, ranges and overlaps by path', async () => {
    const doc = await validDoc();
    const clips = doc.sequences[0].tracks[0].clips;
    clips[1].mediaId = 'media_gone';
    clips[0].sourceIn = 150; // after sourceOut 144
    await withFile(JSON.stringify(doc), async (file) => {
      await expectLoadError(
        file,
        'PROJECT_INVALID',
        /sequences\[0\]\.tracks\[0\]\.clips\[1\]\.mediaId: no media with id "media_gone"/,
        /sequences\[0\]\.tracks\[0\]\.clips\[0\]\.sourceOut: sourceOut \(144\) must be greater than sourceIn \(150\)/,
      );
    });
    const doc2 = await validDoc();
    const clips2 = doc2.sequences[0].tracks[0].clips;
    clips2[1].position = 50; // the first clip covers 0..96
    (clips2[0].takes as Array<Record<string, unknown>>)[0].kind = 'generated';
    clips2[0].activeTakeId = 'take_nope';
    await withFile(JSON.stringify(doc2), async (file) => {
      await expectLoadError(file, 'PROJECT_INVALID', /clips\[0\]\.takes\[0\]/);
    });
    const doc3 = await validDoc();
    const clips3 = doc3.sequences[0].tracks[0].clips;
    clips3[1].position = 50;
    clips3[0].activeTakeId = 'take_nope';
    await withFile(JSON.stringify(doc3), async (file) => {
      await expectLoadError(
        file,
        'PROJECT_INVALID',
        /clips\[1\]\.position: overlaps clips\[0\] \("A001_C003\.mov"\), which ends at frame 96/,
        /clips\[0\]\.activeTakeId: no take with id "take_nope" in this clip/,
      );
    });
  });

  it('says when the file is missing, and offers the intact backup when the main file is damaged', async () => {
    await withTempDir(async (root) => {
      const { project, file } = await buildProject(root);
      project.rename('Second');
      await saveProject(project, file); // .bak = first save
      await expectLoadError(join(root, 'nope.lacuna'), 'PROJECT_NOT_FOUND', /project file not found/);
      await writeFile(file, '');
      const e = await expectLoadError(file, 'PROJECT_INVALID', /film\.lacuna is empty/);
      expect(e.hint).toMatch(/Its backup film\.lacuna\.bak \(saved .+\) is intact/);
      expect(e.hint).toContain('loadProject(path, { fromBackup: true })');
      const fromBak: LoadResult = await loadProject(file, { fromBackup: true });
      expect(fromBak.fromBackup).toBe(true);
      expect(fromBak.project.doc.name).toBe('Ferry');
      expect(fromBak.project.path).toBe(file); // saving repairs the main file
      expect(fromBak.project.dirty).toBe(true);
      await saveProject(fromBak.project, file);
      expect((await loadProject(file)).project.doc.name).toBe('Ferry');
      // Main file gone altogether: same offer.
      await rm(file);
      const gone = await expectLoadError(file, 'PROJECT_NOT_FOUND');
      expect(gone.hint).toMatch(/is intact/);
    });
  });
});

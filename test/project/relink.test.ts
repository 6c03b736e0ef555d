import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Project,
  findMissingMedia,
  loadProject,
  quickHashFile,
  quickHashImageSequence,
  relinkAll,
  relinkMedia,
  saveProject,
} from '../../src/engine/project';
import { expectSound, imageSequenceInfo, videoInfo, withTempDir } from './fixtures';

async function setup(root: string) {
  const media = join(root, 'shoot');
  await mkdir(join(media, 'plates'), { recursive: true });
  const camPath = join(media, 'A001_C003.mov');
  const camBPath = join(media, 'A001_C004.mov');
  await writeFile(camPath, 'take three '.repeat(300));
  await writeFile(camBPath, 'take four! '.repeat(300)); // same size as A001_C003, other bytes
  const numbers = [1, 2, 3];
  for (const n of numbers) await writeFile(join(media, 'plates', `bg_${n}.png`), `png frame ${n}`);
  const pattern = join(media, 'plates', 'bg_%d.png');
  const project = Project.create({ name: 'Relink' });
  const seq = project.doc.sequences[0];
  const cam = project.addMedia(videoInfo(camPath), await quickHashFile(camPath));
  const camB = project.addMedia(videoInfo(camBPath), await quickHashFile(camBPath));
  const plate = project.addMedia(imageSequenceInfo(pattern, numbers), await quickHashImageSequence(pattern, numbers));
  project.addClip(seq.id, seq.tracks[0].id, cam.id);
  project.addClip(seq.id, seq.tracks[0].id, plate.id);
  const file = join(root, 'project', 'relink.lacuna');
  await mkdir(join(root, 'project'));
  await saveProject(project, file);
  return { project, file, media, camPath, camBPath, pattern, cam, camB, plate };
}

describe('relink', () => {
  it('finds moved media by name and content, as one undoable step', async () => {
    await withTempDir(async (root) => {
      const { file, media } = await setup(root);
      // The media drive was reorganised: everything moved two folders down.
      const archive = join(root, 'archive', '2024', 'ferry');
      await mkdir(join(root, 'archive', '2024'), { recursive: true });
      await rename(media, archive);
      const { project, missingMedia } = await loadProject(file);
      expect(missingMedia.map((m) => m.name)).toEqual(['A001_C003.mov', 'A001_C004.mov', 'bg_[1-3].png']);
      const results = await relinkAll(project, join(root, 'archive'));
      expect(results).toEqual([
        { mediaId: project.doc.media[0].id, status: 'relinked', path: join(archive, 'A001_C003.mov'), matchedBy: 'name+hash' },
        { mediaId: project.doc.media[1].id, status: 'relinked', path: join(archive, 'A001_C004.mov'), matchedBy: 'name+hash' },
        { mediaId: project.doc.media[2].id, status: 'relinked', path: join(archive, 'plates', 'bg_%d.png'), matchedBy: 'name+hash' },
      ]);
      expect(await findMissingMedia(project.doc)).toEqual([]);
      expect(project.history.undoLabel).toBe('Relink 3 Media');
      expectSound(project);
      project.undo();
      expect((await findMissingMedia(project.doc)).length).toBe(3);
      project.redo();
      // Saved and reopened: found where they are now.
      await saveProject(project, file);
      expect((await loadProject(file)).missingMedia).toEqual([]);
    });
  });

  it('finds a renamed file by content alone, and never links a same-named file with other content', async () => {
    await withTempDir(async (root) => {
      const { project, cam, camPath, camBPath } = await setup(root);
      const elsewhere = join(root, 'elsewhere');
      await mkdir(elsewhere);
      await rename(camPath, join(elsewhere, 'ferry_wide_v2.mov'));
      // A file with A001_C003's name but A001_C004's bytes (same size, too): a decoy.
      await rename(camBPath, join(elsewhere, 'A001_C003.mov'));
      const r = await relinkMedia(project, cam.id, root);
      expect(r).toEqual({ mediaId: cam.id, status: 'relinked', path: join(elsewhere, 'ferry_wide_v2.mov'), matchedBy: 'hash' });
      expect(project.getMedia(cam.id).path).toBe(join(elsewhere, 'ferry_wide_v2.mov'));
      expect(project.history.undoLabel).toBe('Relink Media');
      project.undo();
      expect(project.getMedia(cam.id).path).toBe(camPath);
    });
  });

  it('reports the rejected look-alikes when the real file is nowhere', async () => {
    await withTempDir(async (root) => {
      const { project, cam, camPath } = await setup(root);
      const other = join(root, 'other');
      await mkdir(other);
      await writeFile(join(other, 'A001_C003.mov'), 'a re-export with other bytes');
      await rename(camPath, join(root, 'gone.bin')); // other extension: not searched by content
      const r = await relinkMedia(project, cam.id, other);
      expect(r).toEqual({
        mediaId: cam.id,
        status: 'notFound',
        rejected: [{ path: join(other, 'A001_C003.mov'), reason: expect.stringMatching(/different content: 28 bytes, the original has 3300/) }],
      });
      expect(project.getMedia(cam.id).path).toBe(camPath); // untouched
      expect(project.history.undoLabel).toBe('Add Clip');
    });
  });

  it('verifies an explicitly chosen file before linking it', async () => {
    await withTempDir(async (root) => {
      const { project, cam, camPath, camBPath } = await setup(root);
      const wrong = await relinkMedia(project, cam.id, camBPath);
      expect(wrong.status).toBe('notFound');
      const moved = join(root, 'A001_C003 copy.mov');
      await rename(camPath, moved);
      expect(await relinkMedia(project, cam.id, moved)).toMatchObject({ status: 'relinked', path: moved, matchedBy: 'hash' });
      await expect(relinkMedia(project, cam.id, join(root, 'nothing-here'))).rejects.toThrow(/nothing at/);
    });
  });

  it('relinks an image sequence from its folder or one of its frames', async () => {
    await withTempDir(async (root) => {
      const { project, plate, media } = await setup(root);
      const moved = join(root, 'plates_v1');
      await rename(join(media, 'plates'), moved);
      expect(await relinkMedia(project, plate.id, moved)).toMatchObject({ status: 'relinked', path: join(moved, 'bg_%d.png') });
      project.undo();
      expect(await relinkMedia(project, plate.id, join(moved, 'bg_2.png'))).toMatchObject({ status: 'relinked', path: join(moved, 'bg_%d.png') });
    });
  });

  it('bounds the search depth', async () => {
    await withTempDir(async (root) => {
      const { project, cam, camPath } = await setup(root);
      const deep = join(root, 'd1', 'd2', 'd3');
      await mkdir(deep, { recursive: true });
      await rename(camPath, join(deep, 'A001_C003.mov'));
      expect((await relinkMedia(project, cam.id, join(root, 'd1'), { maxDepth: 1 })).status).toBe('notFound');
      expect((await relinkMedia(project, cam.id, join(root, 'd1'), { maxDepth: 2 })).status).toBe('relinked');
    });
  });

  it('returns nothing to do when nothing is missing', async () => {
    await withTempDir(async (root) => {
      const { project } = await setup(root);
      expect(await relinkAll(project, root)).toEqual([]);
    });
  });
});

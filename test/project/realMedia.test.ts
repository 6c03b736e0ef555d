import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { Project, loadProject, quickHashFile, relinkAll, saveProject } from '../../src/engine/project';
import { runProcess } from '../../src/engine/util/runProcess';
import { videoInfo, withTempDir } from './fixtures';

function findFfmpeg(): string | null {
  try {
    return ffmpegPaths().ffmpeg;
  } catch {
    return null;
  }
}
const ffmpeg = findFfmpeg();

describe('with a real video file', () => {
  it.skipIf(!ffmpeg)('hashes a multi-MiB render by samples and relinks it after it was renamed and moved', async () => {
    await withTempDir(async (root) => {
      const file = join(root, 'media', 'testsrc.mov');
      await mkdir(join(root, 'media'));
      // 4 s of 25 fps test pattern at near-lossless quality: several MiB, so the sampled path runs.
      await runProcess(ffmpeg!, [
        '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=4',
        '-c:v', 'mpeg4', '-q:v', '1', '-pix_fmt', 'yuv420p', file,
      ]);
      const size = (await stat(file)).size;
      expect(size).toBeGreaterThan(3 * 1024 * 1024);
      const hash = await quickHashFile(file);
      expect(hash.size).toBe(size);

      const project = Project.create({ name: 'Real', settings: { fps: { num: 25, den: 1 } } });
      const seq = project.doc.sequences[0];
      const media = project.addMedia(
        { ...videoInfo(file, { fps: { num: 25, den: 1 }, frames: 100, width: 1280, height: 720, audio: false, fileSize: size }), container: 'mov' },
        hash,
      );
      project.addClip(seq.id, seq.tracks[0].id, media.id, { sourceIn: 25, sourceOut: 75 });
      const projectFile = join(root, 'real.lacuna');
      await saveProject(project, projectFile);

      await mkdir(join(root, 'archive', 'day1'), { recursive: true });
      await rename(file, join(root, 'archive', 'day1', 'A001_C001_renamed.mov'));
      const { project: reopened, missingMedia } = await loadProject(projectFile);
      expect(missingMedia.map((m) => m.name)).toEqual(['testsrc.mov']);
      const [result] = await relinkAll(reopened, join(root, 'archive'));
      expect(result).toMatchObject({ status: 'relinked', matchedBy: 'hash', path: join(root, 'archive', 'day1', 'A001_C001_renamed.mov') });
    });
  });
});

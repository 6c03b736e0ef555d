import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, MIGRATIONS, loadProject, migrateToCurrent, quickHashFile, saveProject } from '../../src/engine/project';
import { isLacunaError } from '../../src/engine/util/errors';
import { expectSound, withTempDir } from './fixtures';

/** A project as the prototype (format version 0) wrote it. */
async function writeV0(dir: string, options: { withVersionKey?: boolean } = {}) {
  const cam = join(dir, 'media', 'A001.mov');
  const wav = join(dir, 'media', 'wild.wav');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(dir, 'media'), { recursive: true });
  await writeFile(cam, 'camera bytes '.repeat(100));
  await writeFile(wav, 'wave bytes '.repeat(100));
  const camHash = await quickHashFile(cam);
  const wavHash = await quickHashFile(wav);
  const v0 = {
    format: 'lacuna.project',
    ...(options.withVersionKey !== false && { version: 0 }),
    name: 'Prototype cut',
    created: '2024-03-01T09:30:00.000Z',
    fps: '24000/1001',
    width: 3840,
    height: 2160,
    media: [
      {
        id: 'm1',
        path: cam,
        hash: `lacuna-quick-sha256:${camHash.value}`,
        size: camHash.size,
        duration: 10.01,
        fps: '24000/1001',
        frames: 240,
        width: 3840,
        height: 2160,
        codec: 'prores',
        timecode: '01:00:00:00',
        audio: { codec: 'pcm_s24le', sampleRate: 48000, channels: 2 },
      },
      { id: 'm2', path: wav, hash: `lacuna-quick-sha256:${wavHash.value}`, size: wavHash.size, duration: 30, audio: { codec: 'pcm_s16le', sampleRate: 48000, channels: 1 } },
    ],
    // Out of order on purpose: the prototype appended clips as they were made.
    clips: [
      { id: 'c2', mediaId: 'm1', in: 100, out: 200, at: 120, name: 'Ferry close' },
      { id: 'c1', mediaId: 'm1', in: 0, out: 120, at: 0 },
    ],
  };
  const file = join(dir, 'proto.lacuna');
  await writeFile(file, JSON.stringify(v0, null, 2));
  return { file, cam, camHash, v0 };
}

describe('migrations', () => {
  it('form a chain from version 0 to the current version', () => {
    let v = 0;
    for (const m of MIGRATIONS) {
      expect(m.from).toBe(v);
      v = m.to;
    }
    expect(v).toBe(CURRENT_VERSION);
  });

  it('upgrades a version 0 project: one sequence, clips on V1 in order with original takes, structured probe and hash', async () => {
    await withTempDir(async (dir) => {
      const { file, cam, camHash } = await writeV0(dir);
      const loaded = await loadProject(file);
      expect(loaded.migratedFrom).toBe(0);
      expect(loaded.missingMedia).toEqual([]);
      const p = loaded.project;
      expect(p.dirty).toBe(true); // upgraded in memory only: the user is asked to save
      expectSound(p);
      expect(p.doc.version).toBe(CURRENT_VERSION);
      expect(p.doc.name).toBe('Prototype cut');
      expect(p.doc.settings.fps).toEqual({ num: 24000, den: 1001 });
      const [seq] = p.doc.sequences;
      expect(seq.size).toEqual({ width: 3840, height: 2160 });
      expect(seq.tracks.map((t) => t.kind)).toEqual(['video', 'audio']);
      const clips = seq.tracks[0].clips;
      expect(clips.map((c) => [c.id, c.name, c.sourceIn, c.sourceOut, c.position])).toEqual([
        ['c1', 'A001.mov', 0, 120, 0],
        ['c2', 'Ferry close', 100, 200, 120],
      ]);
      for (const c of clips) {
        expect(c.takes).toEqual([{ id: c.activeTakeId, kind: 'original', label: 'Original', created: '2024-03-01T09:30:00.000Z', mediaId: 'm1' }]);
      }
      const [m1, m2] = p.doc.media;
      expect(m1).toMatchObject({ kind: 'file', name: 'A001.mov', path: cam, hash: camHash });
      expect(m1.probe).toMatchObject({ startTimecode: '01:00:00:00', fileSize: camHash.size });
      expect(m1.probe.video).toMatchObject({ codec: 'prores', fps: { num: 24000, den: 1001 }, frameCount: 240, width: 3840 });
      expect(m1.probe.audio).toEqual([{ index: 1, codec: 'pcm_s24le', sampleRate: 48000, channels: 2, duration: 10.01, startTime: 0 }]);
      expect(m2.probe.video).toBeNull();

      // Saving writes the current version with relative paths; it loads without migrating.
      await saveProject(p, file);
      const text = await readFile(file, 'utf8');
      expect(JSON.parse(text).version).toBe(CURRENT_VERSION);
      expect(text).toContain('"path": "media/A001.mov"');
      const again = await loadProject(file);
      expect(again.migratedFrom).toBeNull();
      expect({ ...again.project.doc, modified: '' }).toEqual({ ...p.doc, modified: '' });
      // The version 0 original is kept as the backup.
      expect(JSON.parse(await readFile(`${file}.bak`, 'utf8')).version).toBe(0);
    });
  });

  it('treats a project without a version key as version 0', async () => {
    await withTempDir(async (dir) => {
      const { file } = await writeV0(dir, { withVersionKey: false });
      expect((await loadProject(file)).migratedFrom).toBe(0);
    });
  });

  it('explains what stops a version 0 project from upgrading', async () => {
    await withTempDir(async (dir) => {
      const { file, v0 } = await writeV0(dir);
      const broken = { ...v0, clips: [{ ...v0.clips[0], out: 'end' }], media: [{ ...v0.media[0], hash: 'md5:abc' }] };
      await writeFile(file, JSON.stringify(broken));
      await expect(loadProject(file)).rejects.toThrow(
        /proto\.lacuna is a version 0 project that cannot be upgraded:\n {2}- media\[0\]\.hash: expected "lacuna-quick-sha256:" and 64 hex digits, got "md5:abc"\n {2}- clips\[0\]\.out: expected a number, got "end"/,
      );
      // Valid shape, but a clip past its media's end: caught by the checks after the upgrade.
      await writeFile(file, JSON.stringify({ ...v0, clips: [{ ...v0.clips[0], out: 500 }] }));
      await expect(loadProject(file)).rejects.toThrow(/sequences\[0\]\.tracks\[0\]\.clips\[0\]\.sourceOut: sourceOut 500 is past the end of "A001\.mov", which has 240 frames/);
      await writeFile(file, JSON.stringify({ ...v0, fps: 'fast' }));
      await expect(loadProject(file)).rejects.toThrow(/fps: expected a frame rate like "30000\/1001" or 25, got "fast"/);
    });
  });

  it('refuses a project from a newer Lacuna with PROJECT_TOO_NEW', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'future.lacuna');
      await writeFile(file, JSON.stringify({ format: 'lacuna.project', version: CURRENT_VERSION + 1, name: 'From the future', hologram: true }));
      const e = await loadProject(file).catch((x: unknown) => x);
      expect(isLacunaError(e, 'PROJECT_TOO_NEW')).toBe(true);
      expect((e as Error).message).toMatch(new RegExp(`future\\.lacuna was saved by a newer Lacuna \\(project format version ${CURRENT_VERSION + 1}\\); this version reads up to ${CURRENT_VERSION}`));
      expect((e as { hint: string }).hint).toMatch(/Update Lacuna/);
    });
  });

  it('leaves a current document alone and rejects nonsense versions', () => {
    const doc = { format: 'lacuna.project', version: CURRENT_VERSION };
    expect(migrateToCurrent(doc)).toEqual({ doc, from: CURRENT_VERSION });
    expect(() => migrateToCurrent({ format: 'lacuna.project', version: '1' })).toThrow(/version: expected a whole number ≥ 0, got "1"/);
    expect(() => migrateToCurrent({ format: 'lacuna.project', version: -1 })).toThrow(/version: expected a whole number/);
  });
});

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppService } from '../../src/engine/app/AppService';
import { makeClip, startTestApp, tempDir } from './fixtures';

/* Autosave to a side file, recovery after a crash, and the recent-projects list, through the app's handlers. */
let tmp: ReturnType<typeof tempDir>;
const open: AppService[] = [];

async function start(): Promise<AppService> {
  const app = await startTestApp(join(tmp.dir, 'data'));
  open.push(app);
  return app;
}

beforeEach(() => {
  tmp = tempDir('lacuna-autosave-');
});
afterEach(async () => {
  for (const a of open.splice(0)) await a.dispose();
  tmp.cleanup();
});

describe('autosave and recovery', () => {
  it('offers a saved project’s unsaved changes back after a crash, as unsaved changes of that file', async () => {
    const clip = makeClip(join(tmp.dir, 'a.mp4'));
    const a = await start();
    await a.handlers['project.new']({ name: 'Untitled', discardChanges: false });
    const path = join(tmp.dir, 'Harbour cut.lacuna');
    const saved = await a.handlers['project.saveAs']({ path });
    expect(saved.name).toBe('Harbour cut'); // Save As names the project after its file
    expect(await a.handlers['project.recent']({})).toMatchObject([{ path, name: 'Harbour cut' }]);
    const { imported } = await a.handlers['media.import']({ paths: [clip] });
    await a.handlers['timeline.place']({ mediaId: imported[0].id });
    expect(await a.autosave()).toBe(path + '.autosave');
    // "Crash": the service goes away without saving; a new one starts on the same data folder.
    const b = await start();
    const offers = await b.handlers['project.recoveries']({});
    expect(offers).toMatchObject([{ projectPath: path, name: 'Harbour cut' }]);
    const recovered = await b.handlers['project.recover']({ autosavePath: offers[0].autosavePath, discardChanges: false });
    expect(recovered.path).toBe(path);
    expect(recovered.dirty).toBe(true);
    expect(recovered.sequences[0].tracks[0].clips).toHaveLength(1);
    // Saving makes the side file stale: it is removed and no longer offered.
    await b.handlers['project.save']({});
    expect(existsSync(path + '.autosave')).toBe(false);
    expect(await b.handlers['project.recoveries']({})).toEqual([]);
  });

  it('keeps a never-saved project’s changes in the data folder, and Discard throws them away', async () => {
    const a = await start();
    await a.handlers['project.new']({ name: 'Night shoot', discardChanges: false });
    await a.handlers['track.add']({ sequenceId: (await a.handlers['project.get']({}))!.sequences[0].id, kind: 'video' });
    const side = (await a.autosave())!;
    expect(side.startsWith(join(tmp.dir, 'data', 'autosave'))).toBe(true);
    const b = await start();
    const offers = await b.handlers['project.recoveries']({});
    expect(offers).toMatchObject([{ projectPath: null, name: 'Night shoot' }]);
    await b.handlers['project.discardRecovery']({ autosavePath: side });
    expect(existsSync(side)).toBe(false);
    await expect(b.handlers['project.recover']({ autosavePath: side, discardChanges: false })).rejects.toThrow(/no longer there/);
  });

  it('writes nothing while the project is clean', async () => {
    const a = await start();
    await a.handlers['project.new']({ name: 'Clean', discardChanges: false });
    expect(await a.autosave()).toBeNull();
  });

  it('moves renders made before the first save into "<project> Renders/" beside it', async () => {
    const a = await start();
    await a.handlers['project.new']({ name: 'Untitled', discardChanges: false });
    mkdirSync(join(tmp.dir, 'data', 'renders'), { recursive: true });
    const early = makeClip(join(tmp.dir, 'data', 'renders', 'shot - Remove the dog - Take 1.mp4'));
    const { imported } = await a.handlers['media.import']({ paths: [early] });
    const view = await a.handlers['project.saveAs']({ path: join(tmp.dir, 'Dog.lacuna') });
    const moved = view.media.find((m) => m.id === imported[0].id)!;
    expect(moved.path).toBe(join(tmp.dir, 'Dog Renders', 'shot - Remove the dog - Take 1.mp4'));
    expect(existsSync(moved.path)).toBe(true);
    await expect.poll(() => existsSync(early), { timeout: 5000 }).toBe(false);
    expect(view.dirty).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl } from '../../src/api/mediaUrl';
import { AppService } from '../../src/engine/app/AppService';
import { createMediaHandler } from '../../src/engine/app/media/mediaHandler';
import { JOURNAL_FILE } from '../../src/engine/jobs/journal';
import { installedRemovalEngines } from '../../src/engine/removal/installedEngines';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { makeClip, tempDir } from './fixtures';

/*
 * The Settings dialog's calls through the app's handlers: model packs added from a folder (a
 * generated LGVI pack), verified, found broken, removed from the list with their files left
 * alone; the defaults in the settings applied to new removal requests and renders; persisted.
 */

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let pack: string;
let app: AppService;

const create = (dir = dataDir) =>
  AppService.create({
    host: { kind: 'browser', nativeDialogs: false },
    appName: 'Lacuna',
    appVersion: 'test',
    versions: {},
    dataDir: dir,
    emit: () => {},
    engines: installedRemovalEngines(),
  });

type JournalJob = { id: string; params: { codec: string }; output: { dir: string } };
/** The job as the queue's journal on disk holds it (written soon after a change). */
async function journalRecord(id: string): Promise<JournalJob> {
  for (let i = 0; i < 50; i++) {
    const text = await readFile(join(dataDir, JOURNAL_FILE), 'utf8').catch(() => '{}');
    const found = ((JSON.parse(text) as { jobs?: JournalJob[] }).jobs ?? []).find((j) => j.id === id);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} never reached the journal`);
}

beforeAll(async () => {
  tmp = tempDir('lacuna-settings-api-');
  dataDir = join(tmp.dir, 'data');
  pack = join(tmp.dir, 'My Pack');
  await (await import('node:fs/promises')).mkdir(pack);
  await writeTinyRandomPack({ dir: pack, working: SMALL_WORKING, name: 'Tiny test pack', id: 'tiny-test' });
  app = await create();
}, 60_000);

afterAll(async () => {
  await app?.dispose();
  tmp?.cleanup();
});

describe('models', () => {
  it('lists no pack on a fresh install, Lite as the engine, and the CPU provider', async () => {
    const view = await app.handlers['models.list']({});
    expect(view.packs).toEqual([]);
    expect(view.engines.map((e) => e.id)).toEqual(['lite']);
    expect(view.providers.find((p) => p.name === 'cpu')).toMatchObject({ available: true, title: 'CPU' });
    expect(view.candidates).toContain('cpu');
  });

  it('refuses a folder that is not a pack, saying so, and lists nothing', async () => {
    await expect(app.handlers['models.add']({ dir: tmp.dir })).rejects.toMatchObject({ code: 'MODEL_PACK_NOT_FOUND', message: expect.stringMatching(/no manifest\.json/) });
    expect((await app.handlers['models.list']({})).packs).toEqual([]);
  });

  it('adds a pack from a folder, verifies it, and its engine is installed at once', async () => {
    const view = await app.handlers['models.add']({ dir: pack });
    expect(view.packs).toHaveLength(1);
    expect(view.packs[0]).toMatchObject({ dir: pack, id: 'tiny-test', name: 'Tiny test pack', source: 'added', engines: ['lgvi'], verification: { state: 'ok' } });
    expect(view.engines.map((e) => e.id)).toEqual(['lgvi', 'lite']);
    const removalKinds = async () => (await app.handlers['jobs.kinds']({})).filter((k) => k.category === 'removal').map((k) => k.kind);
    expect(await removalKinds()).toEqual(['lgvi', 'lite']);
    // Adding it twice lists it once.
    expect((await app.handlers['models.add']({ dir: `${pack}/` })).packs).toHaveLength(1);
  }, 60_000);

  it('a damaged copy fails verification with the reason, and provides no engine', async () => {
    const broken = join(tmp.dir, 'Broken Pack');
    await cp(pack, broken, { recursive: true });
    const unet = (await readdir(broken)).find((f) => /unet.*\.onnx$/.test(f))!;
    const bytes = await readFile(join(broken, unet));
    bytes[bytes.length - 5] ^= 0xff;
    await writeFile(join(broken, unet), bytes);
    const view = await app.handlers['models.add']({ dir: broken });
    const entry = view.packs.find((p) => p.dir === broken)!;
    expect(entry.verification.state).toBe('failed');
    expect(entry.verification.state === 'failed' && entry.verification.problems.join(' ')).toMatch(new RegExp(unet.replace('.', '\\.')));
    expect(entry.engines).toEqual([]);
    await app.handlers['models.remove']({ dir: broken });
  }, 60_000);

  it('the pack list and its verdicts survive a restart; a pack whose manifest changed is not verified again', async () => {
    const again = await create(join(tmp.dir, 'data'));
    try {
      await app.dispose();
      const view = await again.handlers['models.list']({});
      expect(view.packs.map((p) => [p.dir, p.verification.state])).toEqual([[pack, 'ok']]);
      expect(view.engines.map((e) => e.id)).toEqual(['lgvi', 'lite']);
      const verified = await again.handlers['models.verify']({ dir: pack });
      expect(verified.packs[0].verification.state).toBe('ok');
    } finally {
      app = again;
    }
    // The same pack updated in place (a new manifest): its old verdict no longer applies.
    const manifestPath = join(pack, 'manifest.json');
    const original = await readFile(manifestPath, 'utf8');
    await writeFile(manifestPath, original.replace('"version": "0.0.1"', '"version": "0.0.2"'));
    try {
      const third = await create(join(tmp.dir, 'data'));
      await app.dispose();
      app = third;
      expect((await app.handlers['models.list']({})).packs.map((p) => p.verification.state)).toEqual(['unverified']);
    } finally {
      await writeFile(manifestPath, original);
    }
  }, 60_000);

  it('remove takes the pack off the list and leaves its files alone', async () => {
    const before = (await readdir(pack)).sort();
    const view = await app.handlers['models.remove']({ dir: pack });
    expect(view.packs).toEqual([]);
    expect(view.engines.map((e) => e.id)).toEqual(['lite']);
    expect((await readdir(pack)).sort()).toEqual(before);
    await expect(app.handlers['models.remove']({ dir: pack })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(app.handlers['models.verify']({ dir: pack })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('settings', () => {
  it('starts at the defaults and refuses what cannot apply', async () => {
    const view = await app.handlers['settings.get']({});
    expect(view.settings).toMatchObject({ defaultEngine: null, renderCodec: 'prores_hq', rendersDir: null, providers: 'auto' });
    expect(view.effectiveRendersDir).toBe(join(dataDir, 'renders'));
    expect(view.warning).toBeNull();
    expect(view.codecs.find((c) => c.value === 'prores_hq')?.label).toBe('ProRes 422 HQ (.mov)');
    await expect(app.handlers['settings.update']({ defaultEngine: 'lgvi' })).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/not installed/) });
    await expect(app.handlers['settings.update']({ rendersDir: 'relative/renders' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('a removal request naming no engine or codec uses the defaults, and renders go to the renders folder', async () => {
    await app.handlers['models.add']({ dir: pack });
    const renders = join(tmp.dir, 'Unsaved Renders');
    const view = await app.handlers['settings.update']({ defaultEngine: 'lite', renderCodec: 'h264', rendersDir: renders });
    expect(view.settings).toMatchObject({ defaultEngine: 'lite', renderCodec: 'h264', rendersDir: renders });
    expect(view.effectiveRendersDir).toBe(renders);
    // The Remove dialog preselects the first removal kind: the default engine comes first.
    expect((await app.handlers['jobs.kinds']({})).filter((k) => k.category === 'removal').map((k) => k.kind)).toEqual(['lite', 'lgvi']);

    const h = app.handlers;
    await h['project.new']({ name: 'Settings', discardChanges: true });
    const clip = makeClip(join(tmp.dir, 'clip.mp4'), { seconds: 1, size: '320x180' });
    const { imported } = await h['media.import']({ paths: [clip] });
    const project = await h['timeline.place']({ mediaId: imported[0].id });
    const clipId = project.sequences[0].tracks[0].clips[0].id;
    // LGVI is installed and listed first, but the default engine is Lite.
    const job = await h['jobs.submit']({ kind: 'remove', clipId, expression: 'the box' });
    expect(job.kind).toBe('lite');
    await h['jobs.cancel']({ jobId: job.id }).catch(() => {});
    const record = await journalRecord(job.id);
    expect(record.params.codec).toBe('h264');
    expect(record.output.dir).toBe(renders);
    // A request that names them wins.
    const named = await h['jobs.submit']({ kind: 'remove', clipId, expression: 'the box', engine: 'lgvi', codec: 'dnxhr_hq', composite: 'full', engineSettings: { steps: 2 } });
    expect(named.kind).toBe('lgvi');
    // It renders with the generated pack: the take says which execution provider it ran on.
    const state = async () => {
      const j = (await h['jobs.list']({})).find((x) => x.id === named.id);
      return j?.state === 'failed' ? `failed: ${j.error?.message}` : j?.state;
    };
    await expect.poll(state, { timeout: 120_000, interval: 250 }).toBe('done');
    const done = (await h['jobs.list']({})).find((j) => j.id === named.id)!;
    const take = (await h['project.get']({}))!.sequences[0].tracks[0].clips[0].takes.find((t) => t.id === done.resultTakeId)!;
    expect(take.engine).toBe('lgvi');
    expect(take.settings?.provider).toBe('cpu');
    expect(take.path.startsWith(renders)).toBe(true);
    expect(take.path.endsWith('.mov')).toBe(true);
  }, 180_000);

  it('the preview proxy takes its limits from the settings', async () => {
    await app.handlers['settings.update']({ proxy: { maxConcurrent: 1, maxHeight: 144 } });
    const clip = makeClip(join(tmp.dir, 'tall.mov'), { codec: 'prores', seconds: 1, size: '640x360' });
    const { imported } = await app.handlers['media.import']({ paths: [clip] });
    const media = createMediaHandler({ media: (p) => app.servableMedia(p), ffmpeg: () => app.ffmpegPath(), proxy: () => app.proxySettings() });
    const ask = () => {
      const url = mediaUrl('lacuna-media://media', { mode: 'proxy', path: imported[0].path, start: 0 });
      return media(new Request(url.replace(/^lacuna-media:/, 'http:')), new URL(url).pathname);
    };
    const [a, b] = await Promise.all([ask(), ask()]);
    expect([a.status, b.status].sort()).toEqual([200, 503]);
    const ok = a.status === 200 ? a : b;
    const out = join(tmp.dir, 'proxy.mp4');
    await writeFile(out, Buffer.from(await ok.arrayBuffer()));
    const height = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=height', '-of', 'csv=p=0', out], { encoding: 'utf8' }).trim();
    expect(Number(height)).toBe(144);
  }, 60_000);

  it('settings persist across a restart', async () => {
    await app.dispose();
    app = await create();
    const view = await app.handlers['settings.get']({});
    expect(view.settings).toMatchObject({ defaultEngine: 'lite', renderCodec: 'h264', proxy: { maxConcurrent: 1, maxHeight: 144 } });
  });
});

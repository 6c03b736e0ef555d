import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../src/api/schemas/jobs';
import { AppService } from '../../src/engine/app/AppService';
import { installedRemovalEngines } from '../../src/engine/removal/installedEngines';
import { isLacunaError } from '../../src/engine/util/errors';
import { tempDir } from '../app/fixtures';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { writeLgviIFixturePack } from '../helpers/lgviIPack';

/*
 * The app's chat answered by an installed LGVI-I pack (generated: tiny random LGVI with a U-Net
 * that takes any text length, and a scripted tiny LGVI-I part): chat.send answers with the pack's
 * own LLM, and the removal submitted with the conversation runs LGVI-I on the chat itself.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');
const MESSAGE = 'can you remove the bird on the left?';

let tmp: ReturnType<typeof tempDir>;
let app: AppService;
let bare: AppService;
const jobs: JobDto[] = [];
let clipId: string;
let bareClipId: string;

async function start(dataDir: string, packDirs: string[], onJob?: (j: JobDto) => void): Promise<AppService> {
  return AppService.create({
    host: { kind: 'browser', nativeDialogs: false },
    appName: 'Lacuna',
    appVersion: 'test',
    versions: {},
    dataDir,
    emit: (name, payload) => name === 'jobs.state' && onJob?.(payload as JobDto),
    engines: installedRemovalEngines({ packDirs }),
  });
}

beforeAll(async () => {
  tmp = tempDir('lacuna-clip-chat-lgvi-i-');
  const pack = join(tmp.dir, 'pack');
  mkdirSync(pack);
  await writeTinyRandomPack({ dir: pack, working: SMALL_WORKING, textLength: 'any' });
  await writeLgviIFixturePack(pack, { scripted: true });
  app = await start(join(tmp.dir, 'data'), [pack], (j) => jobs.push(j));
  bare = await start(join(tmp.dir, 'bare'), []);
  const clipIn = async (a: AppService) => {
    await a.handlers['project.new']({ name: 'Birds', discardChanges: true });
    const { imported } = await a.handlers['media.import']({ paths: [TWO_BIRDS], sequenceFps: { num: 25, den: 1 } });
    const project = await a.handlers['timeline.place']({ mediaId: imported[0].id });
    return project.sequences[0].tracks[0].clips[0].id;
  };
  clipId = await clipIn(app);
  bareClipId = await clipIn(bare);
}, 60_000);

afterAll(async () => {
  await app?.dispose();
  await bare?.dispose();
  tmp?.cleanup();
});

describe('chat.send with an LGVI-I pack', () => {
  it('answers with the pack\'s LLM, and the removal runs LGVI-I on the chat, keeping the conversation', async () => {
    const h = app.handlers;
    const reply = await h['chat.send']({ clipId, message: MESSAGE, pending: [], model: { kind: 'lgvi-i' }, seed: 4 });
    expect(reply).toMatchObject({ answer: "I'll take it out. remove the bird on left", instruction: 'remove the bird on left', responder: 'lgvi-i' });
    const job = await h['jobs.submit']({
      kind: 'remove',
      clipId,
      engine: 'lgvi-i',
      expression: reply.instruction!,
      conversation: reply.conversation,
      seed: 4,
      engineSettings: { steps: 2, window: 4, overlap: 1 },
    });
    await expect.poll(() => jobs.filter((j) => j.id === job.id).at(-1)?.state, { timeout: 180_000, interval: 500 }).toMatch(/done|failed/);
    const done = jobs.filter((j) => j.id === job.id).at(-1)!;
    expect(done.state, done.error?.message).toBe('done');
    const take = (await h['project.get']({}))!.sequences[0].tracks[0].clips[0];
    expect(take.activeTakeId).not.toBe(take.takes[0].id);
    const active = take.takes.find((t) => t.id === take.activeTakeId)!;
    expect(active.conversation?.map((m) => m.role)).toEqual(['user', 'assistant']);
  }, 240_000);

  it('says what to do when no LGVI-I pack is installed; "undo that" needs none', async () => {
    await expect(bare.handlers['chat.send']({ clipId: bareClipId, message: MESSAGE, pending: [], model: { kind: 'lgvi-i' }, seed: 0 })).rejects.toSatisfy(
      (e) => isLacunaError(e, 'UNSUPPORTED') && /no LGVI-I model pack is installed/.test((e as Error).message),
    );
    const undo = await bare.handlers['chat.send']({ clipId: bareClipId, message: 'undo that', pending: [], model: { kind: 'lgvi-i' }, seed: 0 });
    expect(undo).toMatchObject({ undoneTo: null, instruction: null });
  });
});

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../src/api/schemas/jobs';
import { AppService } from '../../src/engine/app/AppService';
import { loadProject } from '../../src/engine/project';
import { installedRemovalEngines } from '../../src/engine/removal/installedEngines';
import { tempDir } from '../app/fixtures';
import { startFakeChatServer, type FakeChatServer } from './fakeChatServer';

/*
 * The app's chat.send on two-birds through the AppService handlers: an answer and an instruction
 * to confirm, the removal submitted with the conversation, the conversation saved with the take
 * (and back after a save and reopen), a follow-up continuing it, "undo that", and a local model.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let tmp: ReturnType<typeof tempDir>;
let app: AppService;
let server: FakeChatServer | undefined;
const jobs: JobDto[] = [];
let clipId: string;

beforeAll(async () => {
  tmp = tempDir('lacuna-clip-chat-');
  app = await AppService.create({
    host: { kind: 'browser', nativeDialogs: false },
    appName: 'Lacuna',
    appVersion: 'test',
    versions: {},
    dataDir: tmp.dir,
    emit: (name, payload) => name === 'jobs.state' && jobs.push(payload as JobDto),
    engines: installedRemovalEngines(),
  });
  const h = app.handlers;
  await h['project.new']({ name: 'Birds', discardChanges: true });
  const { imported } = await h['media.import']({ paths: [TWO_BIRDS], sequenceFps: { num: 25, den: 1 } });
  const project = await h['timeline.place']({ mediaId: imported[0].id });
  clipId = project.sequences[0].tracks[0].clips[0].id;
}, 60_000);

afterAll(async () => {
  await server?.close();
  await app?.dispose();
  tmp?.cleanup();
});

async function finished(job: JobDto): Promise<JobDto> {
  await expect.poll(() => jobs.filter((j) => j.id === job.id).at(-1)?.state, { timeout: 180_000, interval: 500 }).toBe('done');
  return jobs.filter((j) => j.id === job.id).at(-1)!;
}

describe('chat.send', () => {
  it('answers, settles on an instruction, and the removal made of it keeps the conversation', async () => {
    const h = app.handlers;
    const first = await h['chat.send']({ clipId, message: 'Lovely! Could you get rid of the bird on the left?', pending: [], model: { kind: 'none' }, seed: 0 });
    expect(first).toMatchObject({ answer: "I'll remove the bird on the left.", instruction: 'get rid of the bird on the left', responder: 'parser', undoneTo: null, project: null });
    expect(first.conversation.map((m) => m.role)).toEqual(['user', 'assistant']);

    const job = await h['jobs.submit']({ kind: 'remove', clipId, expression: first.instruction!, conversation: first.conversation });
    const done = await finished(job);
    expect(done.message).toMatch(/matched 1 of 2 birds: the left one/);

    const follow = await h['chat.send']({ clipId, message: 'now remove the other one too', pending: [], model: { kind: 'none' }, seed: 0 });
    expect(follow.instruction).toBe('remove the other bird too');
    expect(follow.conversation).toHaveLength(4);
    expect(follow.conversation[0].text).toBe('Lovely! Could you get rid of the bird on the left?');

    // Saved with the take: a save and a reopen bring the conversation back.
    const file = `${tmp.dir}/birds.lacuna`;
    await h['project.saveAs']({ path: file });
    const { project } = await loadProject(file);
    const take = project.activeTake(clipId);
    expect(take.kind).toBe('generated');
    const params = (take as { params: { chat?: string; extra?: { conversation?: unknown[] } } }).params;
    expect(params.chat).toBe('Lovely! Could you get rid of the bird on the left?');
    expect(params.extra?.conversation).toHaveLength(2);
  }, 240_000);

  it('"undo that" switches the clip back a take, as an edit the project can undo', async () => {
    const h = app.handlers;
    const before = (await h['project.get']({}))!.sequences[0].tracks[0].clips[0];
    const undo = await h['chat.send']({ clipId, message: 'undo that', pending: [], model: { kind: 'none' }, seed: 0 });
    const original = before.takes[0].id;
    expect(undo.undoneTo).toBe(original);
    expect(undo.project?.sequences[0].tracks[0].clips[0].activeTakeId).toBe(original);
    const again = await h['chat.send']({ clipId, message: 'undo that', pending: [], model: { kind: 'none' }, seed: 0 });
    expect(again).toMatchObject({ undoneTo: null, answer: 'There is nothing to undo: the clip already shows its original.' });
    const redone = await h['project.undo']({});
    expect(redone.sequences[0].tracks[0].clips[0].activeTakeId).toBe(before.activeTakeId);
  });

  it('asks a local model with what the detector sees, and carries pending turns', async () => {
    server = await startFakeChatServer(() => ({ content: '{"answer":"Only the pelican, then.","instruction":"keep only the bird on the right"}' }));
    const pending = [
      { role: 'user' as const, text: 'hm' },
      { role: 'assistant' as const, text: 'Which one?' },
    ];
    const reply = await app.handlers['chat.send']({ clipId, message: 'the pelican is on the right, keep it', pending, model: { kind: 'endpoint', url: server.url, model: 'tiny' }, seed: 4 });
    expect(reply).toMatchObject({ answer: 'Only the pelican, then.', instruction: 'keep only the bird on the right', responder: 'endpoint' });
    const sent = server.requests[0].body as { messages: { role: string; content: string }[]; seed: number };
    expect(sent.seed).toBe(4);
    // The active take is the one with the left bird removed (the undo was undone): one bird, on the right.
    expect(sent.messages[0].content).toMatch(/Objects in the first frame, left to right:\n1\. bird, (top |bottom )?right, /);
    expect(sent.messages.slice(1).map((m) => m.content)).toEqual(['Lovely! Could you get rid of the bird on the left?', '{"answer":"I\'ll remove the bird on the left.","instruction":"get rid of the bird on the left"}', 'hm', '{"answer":"Which one?","instruction":null}', 'the pelican is on the right, keep it']);
  });
});

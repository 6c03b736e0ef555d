import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeGgufModels } from '../../src/engine/chat/ggufModel';
import { createDetector } from '../../src/engine/lite/detect/createDetector';
import { decodeFrames } from '../../src/engine/media/decode';
import { probeMedia } from '../../src/engine/media/probe';
import { loadProject } from '../../src/engine/project';
import { tempDir } from '../app/fixtures';
import { lacuna, resultOf } from '../cli/cliHarness';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { writeLgviIFixturePack } from '../helpers/lgviIPack';
import { writeTinyGguf } from '../helpers/tinyGguf';
import { startFakeChatServer, type FakeChatServer } from './fakeChatServer';

/*
 * `lacuna chat` on real footage (../shared/fixtures/two-birds): with no model (Lite's grammar),
 * through a fake OpenAI-compatible server on loopback, and in process with a tiny GGUF; in a
 * project, follow-ups continue the conversation saved with the take, and "undo that" goes back.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');
const tmp = tempDir('lacuna-chat-cli-');
let server: FakeChatServer | undefined;
afterAll(async () => {
  await server?.close();
  await disposeGgufModels();
  tmp.cleanup();
});

/** Centre x of the birds the detector finds in the first and last frames. */
async function birdsIn(path: string): Promise<number[][]> {
  const detector = createDetector();
  try {
    const seen: number[][] = [];
    let i = 0;
    for await (const f of decodeFrames(await probeMedia(path))) {
      if (i === 0 || i === 17) seen.push((await detector.detect(f, i)).filter((d) => d.label === 'bird').map((d) => d.box.x + d.box.width / 2));
      i++;
    }
    return seen;
  } finally {
    detector.dispose();
  }
}

describe.runIf(existsSync(TWO_BIRDS))('lacuna chat on two-birds', () => {
  it('with no language model: "can you remove the bird on the left?" removes the left bird', async () => {
    const out = join(tmp.dir, 'chat-left.mov');
    const run = await lacuna('--json', 'chat', TWO_BIRDS, 'Lovely shot! Can you remove the bird on the left?', '--fps', '25', '-o', out, '--no-matte');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.lines.find((l) => l.type === 'info')?.message).toBe("I'll remove the bird on the left.\ninstruction: remove the bird on the left");
    expect(resultOf(run)).toMatchObject({ changed: true, explanation: expect.stringMatching(/^matched 1 of 2 birds: the left one(;|$)/) });
    const after = await birdsIn(out);
    for (const xs of after) {
      expect(xs).toHaveLength(1);
      expect(xs[0]).toBeGreaterThan(568 / 2);
    }
  });

  it('removes nothing and says what would work when the request is unclear', async () => {
    const out = join(tmp.dir, 'unclear.mov');
    const run = await lacuna('chat', TWO_BIRDS, 'what a nice day', '--fps', '25', '-o', out);
    expect(run.code).toBe(0);
    expect(run.stderr + run.stdout).toMatch(/I could not find a request to remove something in that/);
    expect(run.stdout).toMatch(/nothing was removed: the clip is unchanged/);
    expect(existsSync(out)).toBe(false);
  });

  it('two-stage through an OpenAI-compatible server: the model is told what the detector sees in the first frame', async () => {
    server = await startFakeChatServer(() => ({ content: '{"answer":"The pelican stays; the other bird goes.","instruction":"remove the bird on the right"}' }));
    const run = await lacuna('--json', 'chat', TWO_BIRDS, 'make this shot only about the pelican on the left', '--fps', '25', '--llm-url', server.url, '--llm-model', 'tiny', '--dry-run');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(resultOf(run)).toMatchObject({ answer: 'The pelican stays; the other bird goes.', instruction: 'remove the bird on the right', responder: 'endpoint', removed: false });
    const system = (server.requests[0].body.messages as { content: string }[])[0].content;
    expect(system).toMatch(/1\. bird, (top |bottom )?left, \d+% of the width/);
    expect(system).toMatch(/2\. bird, (top |bottom )?right, \d+% of the width/);
  });

  it('says in one line when the model cannot be reached, with exit code 4', async () => {
    const run = await lacuna('chat', TWO_BIRDS, 'remove the bird', '--fps', '25', '--llm-url', 'http://127.0.0.1:9/v1', '--llm-model', 'x', '--dry-run');
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/could not reach a model server at http:\/\/127\.0\.0\.1:9/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const missing = await lacuna('chat', TWO_BIRDS, 'remove the bird', '--fps', '25', '--model', join(tmp.dir, 'none.gguf'));
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no model file at/);
  });

  it('in process with a GGUF model (tiny, random): answers, and never removes on an unreadable instruction', async () => {
    const model = join(tmp.dir, 'tiny.gguf');
    await writeTinyGguf(model, { seed: 3, contextLength: 4096 });
    const run = await lacuna('--json', 'chat', TWO_BIRDS, 'make it only about the pelican', '--fps', '25', '--model', model, '--model-threads', '1', '--dry-run');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = resultOf(run) as { responder: string; answer: string; removed: boolean };
    expect(result.responder).toBe('gguf');
    expect(typeof result.answer).toBe('string');
    expect(result.removed).toBe(false);
  });

  describe('in a project: the conversation lives with the take', () => {
    let project: string;
    let clipId: string;
    beforeAll(async () => {
      project = join(tmp.dir, 'chat.lacuna');
      expect((await lacuna('project', 'create', project, '--fps', '25', '--size', '568x320')).code).toBe(0);
      const added = await lacuna('--json', 'project', 'add', project, TWO_BIRDS, '--fps', '25');
      clipId = (resultOf(added) as { added: { clipId: string }[] }).added[0].clipId;
    });

    it('a follow-up continues from the current take, and "undo that" goes back one take', async () => {
      const first = await lacuna('--json', 'chat', '--project', project, '--clip', clipId, 'please get rid of the bird on the left', '--no-matte');
      expect(first.code, first.stdout + first.stderr).toBe(0);
      const firstTake = (resultOf(first) as { takeId: string }).takeId;
      expect(firstTake).toBeTruthy();

      const second = await lacuna('--json', 'chat', '--project', project, '--clip', clipId, 'now remove the other one too', '--no-matte');
      expect(second.code, second.stdout + second.stderr).toBe(0);
      const secondResult = resultOf(second) as { takeId: string; file: string };
      expect(second.lines.find((l) => l.type === 'info')?.message).toMatch(/instruction: remove the other bird too/);
      // Acting on the current take (the left bird already gone), the other bird goes too.
      for (const xs of await birdsIn(secondResult.file)) expect(xs).toEqual([]);

      let { project: p } = await loadProject(project);
      let clip = p.locateClip(clipId)!.clip;
      const take = clip.takes.find((t) => t.id === secondResult.takeId)!;
      expect(take.kind).not.toBe('original');
      const params = (take as { params: { chat?: string; extra?: { conversation?: { role: string; text: string }[] } } }).params;
      expect(params.chat).toBe('now remove the other one too');
      expect(params.extra?.conversation?.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
      expect(params.extra?.conversation?.[0].text).toBe('please get rid of the bird on the left');

      const undo = await lacuna('--json', 'chat', '--project', project, '--clip', clipId, 'undo that');
      expect(undo.code, undo.stdout + undo.stderr).toBe(0);
      expect(resultOf(undo)).toMatchObject({ undo: true, active: firstTake });
      ({ project: p } = await loadProject(project));
      clip = p.locateClip(clipId)!.clip;
      expect(clip.activeTakeId).toBe(firstTake);
    }, 300_000); // three Lite removals of two-birds: about 100 s on two busy cores
  });
  it('--engine lgvi-i: the pack\'s own language model answers, and the take follows its instruction', async () => {
    const pack = join(tmp.dir, 'lgvi-i-pack');
    mkdirSync(pack);
    await writeTinyRandomPack({ dir: pack, working: SMALL_WORKING, textLength: 'any' });
    await writeLgviIFixturePack(pack, { scripted: true });
    const out = join(tmp.dir, 'lgvi-i.mov');
    const args = ['--json', 'chat', TWO_BIRDS, 'can you remove the bird on the left?', '--fps', '25', '-r', '0-6', '--engine', 'lgvi-i', '--pack', pack];
    const run = await lacuna(...args, '--steps', '2', '--window', '4', '--overlap', '1', '--no-matte', '-o', out);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(resultOf(run)).toMatchObject({ changed: true });
    expect((await probeMedia(out)).video).toMatchObject({ width: 568, height: 320, frameCount: 6 });
    // Flags of Lite's are refused for it, as for LGVI.
    const wrong = await lacuna(...args, '--keyframe-every', '2', '-o', join(tmp.dir, 'x.mov'));
    expect(wrong.code).toBe(2);
    expect(wrong.stdout + wrong.stderr).toMatch(/--keyframe-every do not apply to the LGVI-I engine/);
  });
});

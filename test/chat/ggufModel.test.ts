import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatTurn } from '../../src/engine/chat/chatTurn';
import { DEFAULT_GGUF_SETTINGS, disposeGgufModels, ggufModel } from '../../src/engine/chat/ggufModel';
import { readModelReply } from '../../src/engine/chat/twoStagePrompt';
import { LacunaError } from '../../src/engine/util/errors';
import { writeTinyGguf } from '../helpers/tinyGguf';

let dir: string;
let modelFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacuna-gguf-'));
  modelFile = join(dir, 'tiny.gguf');
  await writeTinyGguf(modelFile, { seed: 7, contextLength: 4096 });
});
afterAll(async () => {
  await disposeGgufModels();
  await rm(dir, { recursive: true, force: true });
});

const settings = () => ({ ...DEFAULT_GGUF_SETTINGS, modelFile, gpu: false as const, threads: 1, contextSize: 4096, maxTokens: 2000 });
const messages = [
  { role: 'system' as const, content: 'Reply with JSON.' },
  { role: 'user' as const, content: 'remove the bird on the left' },
];

describe('in-process GGUF model through node-llama-cpp (a tiny random LLaMA written by the test)', () => {
  it('always answers parseable JSON of the reply schema, and the same seed gives the same answer', async () => {
    const model = ggufModel(settings());
    const first = await model.complete(messages);
    const value = JSON.parse(first) as Record<string, unknown>;
    expect(typeof value.answer).toBe('string');
    expect(value.instruction === null || typeof value.instruction === 'string').toBe(true);
    expect(await model.complete(messages)).toBe(first);
    // Read like any model's reply: a string answer, never an exception.
    expect(typeof readModelReply(first, 'tiny.gguf').answer).toBe('string');
  });

  it('runs a whole chat turn: random words are never taken as an instruction the engine cannot read', async () => {
    const d = await chatTurn({ request: 'make it only about the pelican', history: [], model: ggufModel(settings()), scene: async () => '1. bird, left' });
    expect(d.responder).toBe('gguf');
    expect(typeof d.answer).toBe('string');
    // A random model's instruction is almost surely unreadable; if so it must have been dropped.
    if (d.instruction !== null) expect(d.instruction.length).toBeGreaterThan(0);
  });

  it('says clearly when the model file is missing or is not a model', async () => {
    const missing = await ggufModel({ ...settings(), modelFile: join(dir, 'nope.gguf') }).complete(messages).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LacunaError);
    expect((missing as LacunaError).code).toBe('LLM_UNAVAILABLE');
    expect((missing as LacunaError).message).toBe(`no model file at ${join(dir, 'nope.gguf')}`);
    const bogus = join(dir, 'bogus.gguf');
    await writeFile(bogus, 'not a model at all');
    const bad = await ggufModel({ ...settings(), modelFile: bogus }).complete(messages).catch((e: unknown) => e);
    expect((bad as LacunaError).message).toMatch(/^bogus\.gguf is not a model llama\.cpp can load/);
  });
});

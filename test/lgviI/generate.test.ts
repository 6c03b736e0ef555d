import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LgviIModel } from '../../src/engine/lgviI/generate';
import { openLlmTokenizer } from '../../src/engine/lgviI/llmTokenizer';
import { readLgviIManifest } from '../../src/engine/lgviI/manifest';
import { threadSessionFactory } from '../../src/engine/lgvi/pack/ortThread';
import type { RgbImage } from '../../src/engine/lite/types';
import { LGVI_I_WORDS, writeLgviIFixturePack } from '../helpers/lgviIPack';

let root: string;
const models: LgviIModel[] = [];
async function open(dir: string): Promise<LgviIModel> {
  const manifest = await readLgviIManifest(dir);
  const model = await LgviIModel.open(dir, manifest, await openLlmTokenizer(dir, manifest.tokenizer), threadSessionFactory);
  models.push(model);
  return model;
}

/** A 568x320 frame with a gradient and a bright square, like a small real shot. */
function frame(): RgbImage {
  const width = 568;
  const height = 320;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      const inSquare = x > 100 && x < 180 && y > 120 && y < 200;
      data[p] = inSquare ? 250 : (x * 255) / width;
      data[p + 1] = inSquare ? 240 : (y * 255) / height;
      data[p + 2] = 90;
    }
  }
  return { width, height, data };
}

let scripted: string;
let random: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lacuna-lgvi-i-'));
  scripted = join(root, 'scripted');
  random = join(root, 'random');
  await writeLgviIFixturePack(scripted, { seed: 5, scripted: true });
  await writeLgviIFixturePack(random, { seed: 5, scripted: false });
});
afterAll(async () => {
  for (const m of models) await m.release();
  await rm(root, { recursive: true, force: true });
});

describe('LGVI-I generation on a tiny fixture pack (vision tower, projector, decoder with KV cache, transfer head)', () => {
  it('answers with the markers stripped, keeps the instruction, and maps the states from the marker on to prompt embeddings', async () => {
    const model = await open(scripted);
    const g = await model.generate(frame(), [], 'can you make this shot only about the pelican', { seed: 0 });
    expect(g.stoppedBy).toBe('eos');
    expect(g.answer).toBe("I'll take it out. remove the bird on left");
    expect(g.instruction).toBe('remove the bird on left');
    const words = g.tokens.map((t) => LGVI_I_WORDS[t]);
    const from = words.indexOf('{{prompt}}');
    expect(g.promptEmbeds?.dims).toEqual([1, words.length - from, 768]);
    expect(g.promptEmbeds?.data.length).toBe((words.length - from) * 768);
    expect(g.promptEmbeds!.data.every(Number.isFinite)).toBe(true);
  });

  it('the KV cache gives what recomputing the whole sequence gives: same tokens, hidden states to 1e-5', async () => {
    const model = await open(random);
    const cached = await model.generate(frame(), [], 'remove the bird on the left', { seed: 3, maxNewTokens: 12 });
    const uncached = await model.generate(frame(), [], 'remove the bird on the left', { seed: 3, maxNewTokens: 12, useCache: false });
    expect(cached.tokens).toEqual(uncached.tokens);
    expect(cached.tokens.length).toBeGreaterThan(3);
    let worst = 0;
    for (let i = 0; i < cached.hidden.length; i++) worst = Math.max(worst, Math.abs(cached.hidden[i] - uncached.hidden[i]) / Math.max(1, Math.abs(uncached.hidden[i])));
    expect(worst).toBeLessThan(1e-5);
  });

  it('is deterministic by seed and depends on it', async () => {
    const model = await open(random);
    const a = await model.generate(frame(), [], 'remove the dog', { seed: 11, maxNewTokens: 16, temperature: 1 });
    const b = await model.generate(frame(), [], 'remove the dog', { seed: 11, maxNewTokens: 16, temperature: 1 });
    const c = await model.generate(frame(), [], 'remove the dog', { seed: 12, maxNewTokens: 16, temperature: 1 });
    expect(b.tokens).toEqual(a.tokens);
    expect(c.tokens).not.toEqual(a.tokens);
    // No marker, no instruction: nothing for the prompt pass, so nothing would be removed.
    if (!a.tokens.includes(LGVI_I_WORDS.indexOf('{{prompt}}'))) {
      expect(a.instruction).toBeNull();
      expect(a.promptEmbeds).toBeNull();
    }
  });

  it('lays the conversation out in the pack\'s template, the image in the first user turn', async () => {
    const model = await open(scripted);
    const { before, after } = model.promptIds([{ role: 'user', text: 'remove the dog' }, { role: 'assistant', text: 'ok' }], 'now the man');
    expect(before.map((t) => LGVI_I_WORDS[t])).toEqual(['<s>', 'SYSTEM:', 'a', 'USER:']);
    expect(after.map((t) => LGVI_I_WORDS[t])).toEqual(['remove', 'the', 'dog', 'ASSISTANT:', '<unk>', '</s>', 'USER:', 'now', 'the', 'man', 'ASSISTANT:']);
  });
});

// The LGVI-I part as models/export writes it, held to the authors' model: test/fixtures/lgvi-i-export
// is a tiny random LlavaLlamaInpaint (the authors' class: LLaMA decoder, CLIP vision tower, mlp2x_gelu
// projector, transfer head) exported by export_lgvi_i_pack.py, with the reference's greedy run recorded
// by make_lgvi_i_fixture.py (the authors' forward, no cache, on the v1_inpaint prompt built with their
// conversation template and tokenizer_image_token). Loaded here with Lacuna's own loader, then put
// beside a tiny LGVI pack and run as a removal on two-birds.
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLgviEngine } from '../../src/engine/lgvi/lgviEngine';
import { decodeFrames } from '../../src/engine/media/decode';
import { ffmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { probeMedia } from '../../src/engine/media/probe';
import type { RemovalInput } from '../../src/engine/removal/removalEngine';
import { installedRemovalEngines } from '../../src/engine/removal/installedEngines';
import { LgviIModel } from '../../src/engine/lgviI/generate';
import { openLlmTokenizer } from '../../src/engine/lgviI/llmTokenizer';
import { readLgviIManifest } from '../../src/engine/lgviI/manifest';
import { threadSessionFactory } from '../../src/engine/lgvi/pack/ortThread';
import type { RgbImage } from '../../src/engine/lite/types';
import { SMALL_WORKING, writeTinyRandomPack } from '../helpers/fixturePacks';
import { withTempDir } from '../media/mediaFiles';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/lgvi-i-export');
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

interface Reference {
  request: string;
  inputIds: number[];
  imageTokenIndex: number;
  frame: { width: number; height: number };
  tokens: number[];
  answer: string;
  stoppedBy: 'eos' | 'limit';
  hidden: string;
  promptEmbeds: string;
  promptEmbedsRows: number;
  tokenizer: Record<string, number[]>;
}

function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** make_lgvi_i_fixture.synthetic_frame: the same formula, so no image decoder is involved. */
function syntheticFrame(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      data[p] = (x * 7 + y * 3) % 256;
      data[p + 1] = (x * 2 + y * 11 + 60) % 256;
      data[p + 2] = ((Math.floor(x / 20) + Math.floor(y / 15)) % 2) * 200 + 20;
    }
  }
  return { width, height, data };
}

/** max |got - want| / max |want|, the exporter's measure. */
function relativeDifference(got: Float32Array, want: Float32Array): number {
  expect(got.length).toBe(want.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / scale;
}

let reference: Reference;
let model: LgviIModel;
let frame: RgbImage;
beforeAll(async () => {
  reference = JSON.parse(await readFile(resolve(FIXTURE, 'reference.json'), 'utf8')) as Reference;
  const manifest = await readLgviIManifest(FIXTURE);
  model = await LgviIModel.open(FIXTURE, manifest, await openLlmTokenizer(FIXTURE, manifest.tokenizer), threadSessionFactory);
  frame = syntheticFrame(reference.frame.width, reference.frame.height);
});
afterAll(async () => {
  await model?.release();
});

describe('an exported LGVI-I part against the authors’ model (test/fixtures/lgvi-i-export)', () => {
  it('tokenizes as SentencePiece does, text after </s> without the dummy prefix (legacy: false)', async () => {
    const manifest = await readLgviIManifest(FIXTURE);
    const tokenizer = await openLlmTokenizer(FIXTURE, manifest.tokenizer);
    const strings = Object.keys(reference.tokenizer);
    expect(strings.length).toBeGreaterThanOrEqual(6);
    for (const text of strings) expect(tokenizer.encode(text), text).toEqual(reference.tokenizer[text]);
  });

  it('builds the prompt the reference builds: v1_inpaint template, BOS, the image where <image> stands', () => {
    const { before, after } = model.promptIds([], reference.request);
    expect([...before, reference.imageTokenIndex, ...after]).toEqual(reference.inputIds);
  });

  it('generates the reference’s answer greedily, with its hidden states and transfer-head embeddings', async () => {
    const g = await model.generate(frame, [], reference.request, { seed: 0, temperature: 0 });
    expect(g.tokens).toEqual(reference.tokens);
    expect(g.stoppedBy).toBe(reference.stoppedBy);
    expect(reference.answer).toContain('{{prompt}}');
    expect(g.answer).toBe(reference.answer.replace('{{prompt}}', '').replace('{{/prompt}}', '').replace(/\s{2,}/g, ' ').trim());
    expect(g.instruction).toBe('remove the other bird');
    // The reference runs without a cache (the whole sequence each step); Lacuna feeds one token with the past.
    expect(relativeDifference(g.hidden, floats(reference.hidden))).toBeLessThan(1e-4);
    expect(g.promptEmbeds?.dims).toEqual([1, reference.promptEmbedsRows, 768]);
    expect(relativeDifference(g.promptEmbeds!.data, floats(reference.promptEmbeds))).toBeLessThan(1e-4);
  });

  it('gives the same states with the KV cache as recomputing every step', async () => {
    const cached = await model.generate(frame, [], reference.request, { seed: 0, temperature: 0 });
    const recomputed = await model.generate(frame, [], reference.request, { seed: 0, temperature: 0, useCache: false });
    expect(recomputed.tokens).toEqual(cached.tokens);
    expect(relativeDifference(cached.hidden, recomputed.hidden)).toBeLessThan(1e-5);
  });

  it('samples at the pack’s temperature (0.2) deterministically by seed', async () => {
    const a = await model.generate(frame, [], reference.request, { seed: 11 });
    const b = await model.generate(frame, [], reference.request, { seed: 11 });
    expect(b.tokens).toEqual(a.tokens);
    expect(b.promptEmbeds?.data).toEqual(a.promptEmbeds?.data);
    expect(a.tokens.length).toBeGreaterThan(0);
  });
});

describe('the exported LGVI-I part in a pack, through the LGVI-I removal engine', () => {
  let pack: string;
  beforeAll(async () => {
    // models/README.md's layout: an LGVI pack whose U-Net takes any text length, the LGVI-I files beside it.
    pack = await mkdtemp(join(tmpdir(), 'lacuna-lgvi-i-export-'));
    await writeTinyRandomPack({ dir: pack, working: SMALL_WORKING, textLength: 'any' });
    for (const f of await readdir(FIXTURE)) if (f !== 'reference.json' && f !== 'README.md') await copyFile(join(FIXTURE, f), join(pack, f));
  });
  afterAll(async () => {
    if (pack) await rm(pack, { recursive: true, force: true });
  });

  async function hashOf(path: string): Promise<string> {
    const h = createHash('sha256');
    for await (const f of decodeFrames(await probeMedia(path))) h.update(f.data);
    return h.digest('hex');
  }

  it('is offered, answers on two-birds, removes by the exported model’s instruction, and repeats by seed', async () => {
    expect(installedRemovalEngines({ packDirs: [pack] }).map((e) => e.id)).toContain('lgvi-i');
    const media = await probeMedia(TWO_BIRDS);
    const engine = createLgviEngine({ packDir: pack, interactive: true, providers: 'cpu' });
    const ctx = { signal: new AbortController().signal, progress: () => {}, warn: () => {}, ffmpeg: ffmpegPaths() };
    const input = (dir: string, name: string): RemovalInput => ({
      media,
      range: { start: 0, end: 5 },
      target: { kind: 'chat', message: reference.request },
      settings: { seed: 4, maskDilate: 4, maskFeather: 2, fullFrame: false, engine: { steps: 2, window: 4, overlap: 1 } },
      output: { file: join(dir, `${name}.mov`), codec: 'prores_hq' },
    });
    await withTempDir(async (dir) => {
      const outcome = await engine.remove(input(dir, 'a'), ctx);
      expect(outcome.changed).toBe(true);
      expect(outcome.params).toMatchObject({ engine: 'lgvi-i', expression: 'remove the other bird', extra: { answer: 'Sure, remove the other bird' } });
      await engine.remove(input(dir, 'b'), ctx);
      expect(await hashOf(join(dir, 'b.mov'))).toBe(await hashOf(join(dir, 'a.mov')));
    });
  });
});

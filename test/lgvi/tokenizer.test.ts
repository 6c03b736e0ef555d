// The CLIP tokenizer against the real CLIP vocabulary (built from OpenAI's merges file by
// test/helpers/clipTokenizer.ts). Ids are checked three ways: the example and the Hugging
// Face docs' example as fixed numbers; a dozen phrases and a few hundred seeded random strings
// against a plain reference BPE written below from CLIP's published algorithm (so the library, the
// tokenizer.json and the reference must all agree); and the framing rules (77 ids, start/end,
// padding, truncation) directly.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/engine/lgvi/pack/loadPack';
import { ClipTokenizer } from '../../src/engine/lgvi/tokenizer';
import { isLacunaError } from '../../src/engine/util/errors';
import { refTextEncoder } from '../helpers/analyticReference';
import { CLIP_MERGE_COUNT, CLIP_MERGES_GZ, CLIP_VOCAB_SIZE, clipTokenizerJsonPath } from '../helpers/clipTokenizer';
import { SMALL_WORKING, writeAnalyticPack } from '../helpers/fixturePacks';
import { minimalTokenizerJson } from '../helpers/packs/minimalTokenizer';

const START = 49406;
const END = 49407;

/**
 * A reference CLIP tokenizer written straight from openai/CLIP's simple_tokenizer.py description,
 * sharing nothing with the code under test: its own byte map, vocabulary order and the textbook
 * BPE loop (merge the lowest-ranked adjacent pair everywhere, repeat).
 */
class ReferenceClip {
  private readonly encoder = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly byteToChar: string[] = [];

  constructor(mergesText: string) {
    const direct: number[] = [];
    for (let b = '!'.charCodeAt(0); b <= '~'.charCodeAt(0); b++) direct.push(b);
    for (let b = 0xa1; b <= 0xac; b++) direct.push(b);
    for (let b = 0xae; b <= 0xff; b++) direct.push(b);
    const order = [...direct];
    const chars = direct.map((b) => String.fromCharCode(b));
    let extra = 0;
    for (let b = 0; b < 256; b++) {
      if (!direct.includes(b)) {
        order.push(b);
        chars.push(String.fromCharCode(256 + extra++));
      }
    }
    order.forEach((b, i) => (this.byteToChar[b] = chars[i]));
    const merges = mergesText.split('\n').slice(1, 49152 - 256 - 2 + 1).map((l) => l.split(' '));
    const vocab = [...chars, ...chars.map((c) => c + '</w>'), ...merges.map((m) => m.join('')), '<|startoftext|>', '<|endoftext|>'];
    vocab.forEach((t, i) => this.encoder.set(t, i));
    merges.forEach((m, i) => this.ranks.set(`${m[0]} ${m[1]}`, i));
  }

  private bpe(token: string): string[] {
    let word = [...token];
    word[word.length - 1] += '</w>';
    for (;;) {
      let best: number | undefined;
      let bestPair: [string, string] | undefined;
      for (let i = 0; i + 1 < word.length; i++) {
        const r = this.ranks.get(`${word[i]} ${word[i + 1]}`);
        if (r !== undefined && (best === undefined || r < best)) {
          best = r;
          bestPair = [word[i], word[i + 1]];
        }
      }
      if (!bestPair) return word;
      const next: string[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === bestPair[0] && word[i + 1] === bestPair[1]) {
          next.push(word[i] + word[i + 1]);
          i++;
        } else next.push(word[i]);
      }
      word = next;
    }
  }

  encode(text: string): number[] {
    const clean = text.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase();
    const pieces = clean.match(/<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+/gu) ?? [];
    const ids: number[] = [];
    for (const piece of pieces) {
      const mapped = [...new TextEncoder().encode(piece)].map((b) => this.byteToChar[b]).join('');
      for (const t of this.bpe(mapped)) ids.push(this.encoder.get(t)!);
    }
    return ids;
  }
}

let clipPath: string;
let clip: ClipTokenizer;
let reference: ReferenceClip;
let scratch: string;

beforeAll(async () => {
  clipPath = await clipTokenizerJsonPath();
  clip = await ClipTokenizer.load(clipPath, 'tokenizer.json');
  reference = new ReferenceClip(gunzipSync(await readFile(CLIP_MERGES_GZ)).toString('utf8'));
  scratch = await mkdtemp(join(tmpdir(), 'lacuna-tokenizer-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const padded = (ids: number[], pad = END) => [...ids, ...new Array(77 - ids.length).fill(pad)];

describe('the CLIP tokenizer.json built from the merges file', () => {
  it('has CLIP ViT-L/14 vocabulary: 49408 ids, 48894 merges, bytes first, specials last', async () => {
    const json = JSON.parse(await readFile(clipPath, 'utf8'));
    expect(Object.keys(json.model.vocab)).toHaveLength(CLIP_VOCAB_SIZE);
    expect(json.model.merges).toHaveLength(CLIP_MERGE_COUNT);
    expect(json.model.vocab['!']).toBe(0);
    expect(json.model.vocab['!</w>']).toBe(256);
    expect(json.model.vocab['<|startoftext|>']).toBe(START);
    expect(json.model.vocab['<|endoftext|>']).toBe(END);
    expect(json.model.end_of_word_suffix).toBe('</w>');
  });

  it('is built once and then reused from the temp folder', async () => {
    const before = await stat(clipPath);
    expect(await clipTokenizerJsonPath()).toBe(clipPath);
    expect((await stat(clipPath)).mtimeMs).toBe(before.mtimeMs);
  });
});

describe('ClipTokenizer ids', () => {
  it("gives the issue's example exactly", () => {
    const { ids, length, warning } = clip.encode('remove the bird on left');
    expect(ids).toBeInstanceOf(Int32Array);
    expect([...ids]).toEqual(padded([START, 9709, 518, 3329, 525, 1823, END]));
    expect(length).toBe(7);
    expect(warning).toBeUndefined();
  });

  it("gives the Hugging Face CLIP docs' example exactly", () => {
    expect([...clip.encode('a photo of a cat').ids.slice(0, 7)]).toEqual([START, 320, 1125, 539, 320, 2368, END]);
  });

  const phrases = [
    'remove the bird on the left',
    'Remove the dog and the girl',
    'make the picture solely about the pelican',
    'REMOVE   the\tman\n\nin the red shirt',
    'remove the car, the bike & the bus!!!',
    "the kid's kite isn't here, they'll say we've lost it",
    'erase 3 people, 12 cones and the 2024 logo',
    'entferne den Vogel über dem Fluß',
    'supprimer le cafe\u0301 noir', // decomposed é: NFC must compose it
    '鳥を消してください',
    'remove the 🐦 and the 🚗',
    'remove the skateboarder doing an ollie near antidisestablishmentarianism',
    '  leading and trailing spaces  ',
    'x-ray/mri (scan) #1 @home: 50% off?!',
  ];

  it.each(phrases)('matches the reference BPE for %j', (phrase) => {
    const expected = reference.encode(phrase);
    expect(expected.length).toBeGreaterThan(0);
    expect([...clip.encode(phrase).ids]).toEqual(padded([START, ...expected, END]));
  });

  it('matches the reference BPE on 300 seeded random strings', () => {
    // Letters, digits, punctuation, spaces, accents, CJK and emoji, mixed at random.
    const alphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?\'"-()[]&%$#@éüßñçøæ中文鳥🐦\t\n'];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 300; n++) {
      const len = 1 + Math.floor(next() * 30);
      let s = '';
      for (let i = 0; i < len; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      expect(clip.tokenIds(s), JSON.stringify(s)).toEqual(reference.encode(s));
    }
  });

  it('folds case and whitespace the way CLIP does', () => {
    expect([...clip.encode('REMOVE  the\tBird \n on LEFT ').ids]).toEqual([...clip.encode('remove the bird on left').ids]);
  });

  it('keeps punctuation and digits as their own tokens', () => {
    // CLIP splits numbers into single digits and symbol runs into one piece.
    expect(clip.tokenIds('2024')).toHaveLength(4);
    expect(clip.tokenIds('bird!!')).toEqual([...clip.tokenIds('bird'), ...clip.tokenIds('!!')]);
  });
});

describe('framing: 77 ids, padding, truncation', () => {
  it('encodes the empty prompt (the guidance passes) as start, end and padding', () => {
    for (const empty of ['', '   ', '\n\t']) {
      const { ids, length, warning } = clip.encode(empty);
      expect([...ids]).toEqual(padded([START, END]));
      expect(length).toBe(2);
      expect(warning).toBeUndefined();
    }
  });

  it('fits exactly 75 prompt tokens without a warning', () => {
    const prompt = Array(75).fill('red').join(' ');
    const { ids, length, warning } = clip.encode(prompt);
    expect(length).toBe(77);
    expect(ids[76]).toBe(END);
    expect(warning).toBeUndefined();
  });

  it('truncates a long prompt, keeps the end token and names the words that were cut', () => {
    const red = clip.tokenIds('red')[0];
    const prompt = `${Array(73).fill('red').join(' ')} bird on the far left`;
    const { ids, length, truncatedText, warning } = clip.encode(prompt);
    expect(ids).toHaveLength(77);
    expect(length).toBe(77);
    expect(ids[0]).toBe(START);
    expect(ids[73]).toBe(red);
    expect([ids[74], ids[75]]).toEqual([3329, 525]); // "bird", "on": the 74th and 75th prompt tokens
    expect(ids[76]).toBe(END);
    expect(truncatedText).toBe('the far left');
    expect(warning).toContain('truncated: "the far left"');
  });

  it('batches prompts into one [B, 77] input_ids tensor with the warnings of those cut', () => {
    const long = Array(80).fill('dog').join(' ');
    const { tensor, warnings } = clip.encodeBatch(['remove the bird on left', '', long]);
    expect(tensor.dims).toEqual([3, 77]);
    expect(tensor.data).toBeInstanceOf(Int32Array);
    expect([...tensor.data.slice(0, 77)]).toEqual([...clip.encode('remove the bird on left').ids]);
    expect([...tensor.data.slice(77, 154)]).toEqual(padded([START, END]));
    expect(warnings).toEqual([expect.stringContaining('truncated: "dog dog dog dog dog"')]);
  });

  it("pads with the id the file's padding section names (SD 2.x style)", async () => {
    const json = JSON.parse(await readFile(clipPath, 'utf8'));
    json.padding = { strategy: { Fixed: 77 }, direction: 'Right', pad_to_multiple_of: null, pad_id: 0, pad_type_id: 0, pad_token: '!' };
    json.truncation = { direction: 'Right', max_length: 77, strategy: 'LongestFirst', stride: 0 };
    const sd2 = ClipTokenizer.fromJson(JSON.stringify(json), 'tokenizer.json');
    expect(sd2.padId).toBe(0);
    expect([...sd2.encode('remove the bird on left').ids]).toEqual(padded([START, 9709, 518, 3329, 525, 1823, END], 0));
  });
});

describe('tokenizers inside model packs', () => {
  it("frames a fixture pack's minimal word-level tokenizer the same way, unknown words as its unknown token", async () => {
    const path = join(scratch, 'tokenizer.json');
    await writeFile(path, minimalTokenizerJson());
    const minimal = await ClipTokenizer.load(path, 'tokenizer.json');
    expect([...minimal.encode('Remove the BIRD on left').ids]).toEqual(padded([START, 320, 321, 322, 323, 324, END]));
    expect([...minimal.encode('remove the zebra').ids.slice(0, 5)]).toEqual([START, 320, 321, END, END]);
    expect([...minimal.encode('').ids]).toEqual(padded([START, END]));
  });

  it.each([
    { label: 'the CLIP tokenizer, int64 ids', clipJson: true, ids: 'int64' as const },
    { label: 'the minimal tokenizer, int32 ids', clipJson: false, ids: 'int32' as const },
  ])("feeds a loaded pack's text encoder ($label)", async ({ clipJson, ids }) => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING, ids, tokenizerJsonPath: clipJson ? clipPath : undefined });
    const pack = await loadPack(fixture.dir, { providers: 'cpu' });
    try {
      const tokenizer = await ClipTokenizer.load(pack.tokenizerPath, pack.manifest.files.tokenizer.path);
      const { tensor, warnings } = tokenizer.encodeBatch(['remove the bird on left', '']);
      expect(warnings).toEqual([]);
      const out = await pack.models.textEncoder.run({ input_ids: tensor });
      const ref = refTextEncoder(tensor.data as Int32Array, [2, 77]);
      expect(out.last_hidden_state.dims).toEqual([2, 77, 768]);
      let worst = 0;
      for (let i = 0; i < ref.data.length; i++) worst = Math.max(worst, Math.abs(out.last_hidden_state.data[i] - ref.data[i]));
      expect(worst).toBeLessThanOrEqual(1e-5);
    } finally {
      await pack.release();
      await fixture.cleanup();
    }
  });
});

describe('bad tokenizer files', () => {
  async function loadError(text: string | undefined): Promise<unknown> {
    const path = join(scratch, `bad-${Math.random().toString(36).slice(2)}.json`);
    if (text !== undefined) await writeFile(path, text);
    return ClipTokenizer.load(path, 'packs/x/tokenizer.json').then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  const clipJsonWith = async (edit: (json: Record<string, unknown>) => void) => {
    const json = JSON.parse(await readFile(clipPath, 'utf8'));
    edit(json);
    return JSON.stringify(json);
  };

  it('rejects, when a prompt is encoded, a vocabulary with no id for a word and no unknown token', () => {
    const json = JSON.parse(minimalTokenizerJson());
    delete json.model.unk_token;
    const noUnk = ClipTokenizer.fromJson(JSON.stringify(json), 'packs/x/tokenizer.json');
    expect([...noUnk.encode('remove the bird').ids.slice(0, 5)]).toEqual([START, 320, 321, 322, END]);
    let error: unknown;
    try {
      noUnk.encode('remove the zebra');
    } catch (e) {
      error = e;
    }
    expect(isLacunaError(error, 'MODEL_PACK_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/packs\/x\/tokenizer\.json has no id for "zebra"/);
  });

  it.each([
    ['a missing file', async () => undefined, /tokenizer\.json is missing/],
    ['text that is not JSON', async () => '{"model": ', /is not valid JSON/],
    ['JSON without a model', async () => '{"version": "1.0"}', /not a Hugging Face tokenizer\.json: model/],
    ['an unknown model type', async () => '{"model": {"type": "Nope"}, "added_tokens": []}', /cannot be loaded/],
    ['no <|startoftext|> token', async () => minimalTokenizerJson().replaceAll('<|startoftext|>', '<s>'), /has no <\|startoftext\|> token/],
    ['padding to another length', () => clipJsonWith((j) => (j.padding = { strategy: { Fixed: 64 }, pad_id: 0 })), /pads to 64 tokens/],
    ['left padding', () => clipJsonWith((j) => (j.padding = { strategy: 'BatchLongest', direction: 'Left', pad_id: 0 })), /pads on the left/],
    ['truncation to another length', () => clipJsonWith((j) => (j.truncation = { max_length: 128 })), /truncates to 128 tokens/],
  ])('rejects %s as MODEL_PACK_INVALID naming the file', async (_what, make, message) => {
    const error = await loadError(await make());
    expect(isLacunaError(error, 'MODEL_PACK_INVALID')).toBe(true);
    expect((error as Error).message).toContain('packs/x/tokenizer.json');
    expect((error as Error).message).toMatch(message);
  });
});

/**
 * A tiny LGVI-I pack written in TypeScript (like the LGVI fixture packs): the real contract's file
 * names, inputs and outputs around miniature networks, so the whole chat path — image
 * preprocessing, vision tower, projector, token embedding, decoder with a KV cache, transfer head
 * — runs in milliseconds.
 *
 * The decoder is one attention layer (causal, over past keys/values and the new rows) with a
 * residual, plus a "script": the token embedding carries a one-hot of the token id, and logits get
 * `script` x (that one-hot) added, a bigram table. With `scripted`, the table makes the answer a
 * fixed sentence with a marked instruction whatever the weights, so the marker path is exercised
 * deterministically; without it the answer is random words (seed-dependent).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphBuilder } from '../../src/engine/onnx/graphBuilder';
import { LGVI_I_FORMAT, LGVI_I_MANIFEST, type LgviIManifest } from '../../src/engine/lgviI/manifest';
import { CLIP_MEAN, CLIP_STD } from '../../src/engine/lgviI/clipImage';
import { seededRandom } from './packs/seededRandom';

export const LGVI_I_WORDS = [
  '<unk>', '<s>', '</s>', '<image>', '{{prompt}}', '{{/prompt}}', 'USER:', 'ASSISTANT:', 'SYSTEM:',
  "I'll", 'take', 'it', 'out.', 'remove', 'the', 'bird', 'on', 'left', 'right', 'pelican', 'only', 'make', 'this', 'shot', 'about',
  'can', 'you', 'please', 'a', 'is', 'here', 'now', 'other', 'one', 'too', 'keep', 'and', 'dog', 'man', 'love',
];
const id = (w: string) => LGVI_I_WORDS.indexOf(w);
/** What the scripted decoder says after "ASSISTANT:". */
export const SCRIPTED_ANSWER = ["I'll", 'take', 'it', 'out.', '{{prompt}}', 'remove', 'the', 'bird', 'on', 'left', '{{/prompt}}', '</s>'];

const VOCAB = LGVI_I_WORDS.length;
const EXTRA = 8;
const H = VOCAB + EXTRA;
const HEADS = 2;
const HEAD_DIM = H / HEADS;
const VISION = 12;
const PATCHES = 36;
const OUT = 768;

function tokenizerJson(): string {
  const vocab = Object.fromEntries(LGVI_I_WORDS.map((w, i) => [w, i]));
  const special = ['<unk>', '<s>', '</s>', '<image>', '{{prompt}}', '{{/prompt}}'];
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: special.map((content) => ({ id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: content.startsWith('<') })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  });
}

function visionGraph(seed: number): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_vision_tower');
  const x = g.input('pixel_values', 'float32', [1, 3, 336, 336]);
  const pooled = g.averagePool(x, [56, 56]); // [1, 3, 6, 6]
  const patches = g.transpose(g.reshape(pooled, [1, 3, PATCHES]), [0, 2, 1]); // [1, 36, 3]
  const posed = g.add(patches, g.f32([PATCHES, 3], rng.normals(PATCHES * 3, 0.1)));
  g.output(g.tanh(g.matMul(posed, g.f32([3, VISION], rng.normals(3 * VISION, 0.5)))), 'image_features', 'float32', [1, PATCHES, VISION]);
  return g;
}

function projectorGraph(seed: number): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_projector');
  const x = g.input('image_features', 'float32', [1, PATCHES, VISION]);
  // The one-hot part stays zero: image rows never trigger the script.
  const w = new Float32Array(VISION * H);
  const r = rng.normals(VISION * EXTRA, 0.3);
  for (let i = 0; i < VISION; i++) for (let j = 0; j < EXTRA; j++) w[i * H + VOCAB + j] = r[i * EXTRA + j];
  g.output(g.matMul(x, g.f32([VISION, H], w)), 'image_embeds', 'float32', [1, PATCHES, H]);
  return g;
}

function embedGraph(seed: number): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_embed_tokens');
  const ids = g.input('input_ids', 'int64', [1, 'S']);
  const table = new Float32Array(VOCAB * H);
  const r = rng.normals(VOCAB * EXTRA, 0.5);
  for (let t = 0; t < VOCAB; t++) {
    table[t * H + t] = 1;
    for (let j = 0; j < EXTRA; j++) table[t * H + VOCAB + j] = r[t * EXTRA + j];
  }
  g.output(g.gather(g.f32([VOCAB, H], table), ids, 0), 'inputs_embeds', 'float32', [1, 'S', H]);
  return g;
}

function decoderGraph(seed: number, scripted: boolean): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_decoder', { opset: 17 });
  const x = g.input('inputs_embeds', 'float32', [1, 'S', H]);
  g.input('attention_mask', 'int64', [1, 'T']);
  const positions = g.input('position_ids', 'int64', [1, 'S']);
  const pastK = g.input('past_key_values.0.key', 'float32', [1, HEADS, 'P', HEAD_DIM]);
  const pastV = g.input('past_key_values.0.value', 'float32', [1, HEADS, 'P', HEAD_DIM]);
  const heads = (v: string) => g.transpose(g.reshape(v, [1, -1, HEADS, HEAD_DIM]), [0, 2, 1, 3]);
  const w = () => g.f32([H, H], rng.normals(H * H, 1 / Math.sqrt(H)));
  const q = heads(g.matMul(x, w()));
  const k = g.concat([pastK, heads(g.matMul(x, w()))], 2);
  const v = g.concat([pastV, heads(g.matMul(x, w()))], 2);
  g.output(k, 'present.0.key', 'float32', [1, HEADS, 'T', HEAD_DIM]);
  g.output(v, 'present.0.value', 'float32', [1, HEADS, 'T', HEAD_DIM]);
  const scores = g.mul(g.matMul(q, g.transpose(k, [0, 1, 3, 2])), g.scalar(1 / Math.sqrt(HEAD_DIM))); // [1, h, S, T]
  // Causal: key j is seen by the query at absolute position p when j <= p.
  const T = g.gather(g.op('Shape', [k]), g.initializer('int64', [], BigInt64Array.of(2n)), 0);
  const keyPos = g.op('Range', [g.initializer('int64', [], BigInt64Array.of(0n)), T, g.initializer('int64', [], BigInt64Array.of(1n))]); // [T]
  const allowed = g.op('LessOrEqual', [keyPos, g.unsqueeze(positions, [2])]); // [1, S, T]
  const bias = g.unsqueeze(g.op('Where', [allowed, g.scalar(0), g.scalar(-1e9)]), [1]); // [1, 1, S, T]
  const attn = g.matMul(g.op('Softmax', [g.add(scores, bias)], { axis: -1 }), v); // [1, h, S, d]
  const merged = g.reshape(g.transpose(attn, [0, 2, 1, 3]), [1, -1, H]);
  const hidden = g.add(x, g.tanh(g.matMul(merged, w())));
  g.output(hidden, 'last_hidden_state', 'float32', [1, 'S', H]);
  // Logits: the random readout, plus the script's bigram on the input token's one-hot.
  const script = new Float32Array(H * VOCAB);
  if (scripted) {
    const chain = ['ASSISTANT:', ...SCRIPTED_ANSWER];
    for (let i = 0; i + 1 < chain.length; i++) script[id(chain[i]) * VOCAB + id(chain[i + 1])] = 40;
  }
  const readout = g.f32([H, VOCAB], rng.normals(H * VOCAB, 1 / Math.sqrt(H)));
  g.output(g.add(g.matMul(hidden, readout), g.matMul(x, g.f32([H, VOCAB], script))), 'logits', 'float32', [1, 'S', VOCAB]);
  return g;
}

function transferGraph(seed: number): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_transfer_head');
  const x = g.input('hidden_states', 'float32', [1, 'N', H]);
  const mid = g.tanh(g.matMul(x, g.f32([H, 32], rng.normals(H * 32, 1 / Math.sqrt(H)))));
  g.output(g.matMul(mid, g.f32([32, OUT], rng.normals(32 * OUT, 1 / Math.sqrt(32)))), 'prompt_embeds', 'float32', [1, 'N', OUT]);
  return g;
}

export async function writeLgviIFixturePack(dir: string, options: { seed?: number; scripted?: boolean } = {}): Promise<LgviIManifest> {
  const seed = options.seed ?? 1;
  await mkdir(dir, { recursive: true });
  const files: [string, GraphBuilder][] = [
    ['vision.onnx', visionGraph(seed)],
    ['projector.onnx', projectorGraph(seed + 1)],
    ['embed_tokens.onnx', embedGraph(seed + 2)],
    ['decoder.onnx', decoderGraph(seed + 3, options.scripted ?? true)],
    ['transfer_head.onnx', transferGraph(seed + 4)],
  ];
  for (const [file, graph] of files) await writeFile(join(dir, file), graph.toBytes());
  await writeFile(join(dir, 'llm_tokenizer.json'), tokenizerJson());
  const manifest: LgviIManifest = {
    format: LGVI_I_FORMAT,
    version: 1,
    id: `lgvi-i-fixture-${seed}`,
    llm: { hiddenSize: H, layers: 1, kvHeads: HEADS, headDim: HEAD_DIM, vocabSize: VOCAB, bosTokenId: id('<s>'), eosTokenId: id('</s>'), maxPositions: 512 },
    vision: { file: 'vision.onnx', imageSize: 336, mean: [...CLIP_MEAN], std: [...CLIP_STD] },
    projector: { file: 'projector.onnx' },
    embed: { file: 'embed_tokens.onnx' },
    decoder: { file: 'decoder.onnx' },
    transfer: { file: 'transfer_head.onnx', outputWidth: OUT },
    tokenizer: 'llm_tokenizer.json',
    conversation: { system: 'SYSTEM: a', imageToken: '<image>', userPrefix: 'USER: ', assistantPrefix: 'ASSISTANT:', separator: ' ', answerEnd: ' </s> ' },
    markers: { open: '{{prompt}}', close: '{{/prompt}}' },
    generation: { temperature: 0.2, maxNewTokens: 24 },
  };
  await writeFile(join(dir, LGVI_I_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

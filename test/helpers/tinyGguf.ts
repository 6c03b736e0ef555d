/**
 * Writes a tiny LLaMA-architecture GGUF model with random weights, for tests of the in-process
 * chat path (node-llama-cpp). GGUF v3 as llama.cpp reads it: header, metadata key/values,
 * tensor infos, then the tensors (f32) aligned to 32 bytes. The vocabulary is SentencePiece-style
 * with byte fallback only (<unk>, <s>, </s> and the 256 byte tokens), so any text tokenizes and
 * a JSON-schema grammar can always be followed. Random weights say nothing sensible; the grammar
 * still makes every answer parseable, which is what the tests need.
 */
import { writeFile } from 'node:fs/promises';
import { seededRandom } from './packs/seededRandom';

const enum T {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  STRING = 8,
  ARRAY = 9,
}

type Value = { t: T.UINT32 | T.INT32 | T.FLOAT32; v: number } | { t: T.STRING; v: string } | { t: T.ARRAY; of: T.STRING; v: string[] } | { t: T.ARRAY; of: T.FLOAT32 | T.INT32; v: number[] };

class Bytes {
  private chunks: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(alignment: number): void {
    const extra = (alignment - (this.length % alignment)) % alignment;
    if (extra) this.push(Buffer.alloc(extra));
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(out: Bytes, value: Value): void {
  out.u32(value.t);
  if (value.t === T.STRING) return out.str(value.v);
  if (value.t === T.ARRAY) {
    out.u32(value.of);
    out.u64(value.v.length);
    for (const x of value.v) {
      if (value.of === T.STRING) out.str(x as string);
      else if (value.of === T.FLOAT32) out.f32(x as number);
      else out.i32(x as number);
    }
    return;
  }
  if (value.t === T.FLOAT32) out.f32(value.v);
  else if (value.t === T.INT32) out.i32(value.v);
  else out.u32(value.v);
}

export interface TinyGgufOptions {
  seed?: number;
  embedding?: number;
  layers?: number;
  heads?: number;
  feedForward?: number;
  contextLength?: number;
}

export async function writeTinyGguf(path: string, options: TinyGgufOptions = {}): Promise<void> {
  const { seed = 1, embedding = 64, layers = 2, heads = 4, feedForward = 128, contextLength = 1024 } = options;
  const headDim = embedding / heads;
  const tokens = ['<unk>', '<s>', '</s>', ...Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`)];
  const types = tokens.map((_, i) => (i === 0 ? 2 : i < 3 ? 3 : 6));
  const vocab = tokens.length;

  const metadata: [string, Value][] = [
    ['general.architecture', { t: T.STRING, v: 'llama' }],
    ['general.name', { t: T.STRING, v: 'lacuna-tiny-test' }],
    ['general.alignment', { t: T.UINT32, v: 32 }],
    ['llama.context_length', { t: T.UINT32, v: contextLength }],
    ['llama.embedding_length', { t: T.UINT32, v: embedding }],
    ['llama.block_count', { t: T.UINT32, v: layers }],
    ['llama.feed_forward_length', { t: T.UINT32, v: feedForward }],
    ['llama.rope.dimension_count', { t: T.UINT32, v: headDim }],
    ['llama.attention.head_count', { t: T.UINT32, v: heads }],
    ['llama.attention.head_count_kv', { t: T.UINT32, v: heads }],
    ['llama.attention.layer_norm_rms_epsilon', { t: T.FLOAT32, v: 1e-5 }],
    ['llama.vocab_size', { t: T.UINT32, v: vocab }],
    ['tokenizer.ggml.model', { t: T.STRING, v: 'llama' }],
    ['tokenizer.ggml.tokens', { t: T.ARRAY, of: T.STRING, v: tokens }],
    ['tokenizer.ggml.scores', { t: T.ARRAY, of: T.FLOAT32, v: tokens.map(() => 0) }],
    ['tokenizer.ggml.token_type', { t: T.ARRAY, of: T.INT32, v: types }],
    ['tokenizer.ggml.unknown_token_id', { t: T.UINT32, v: 0 }],
    ['tokenizer.ggml.bos_token_id', { t: T.UINT32, v: 1 }],
    ['tokenizer.ggml.eos_token_id', { t: T.UINT32, v: 2 }],
  ];

  // ggml order: the first dimension is the innermost (a row's length).
  const tensors: { name: string; dims: number[] }[] = [
    { name: 'token_embd.weight', dims: [embedding, vocab] },
    { name: 'output_norm.weight', dims: [embedding] },
    { name: 'output.weight', dims: [embedding, vocab] },
  ];
  for (let i = 0; i < layers; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [embedding] },
      { name: `blk.${i}.attn_q.weight`, dims: [embedding, embedding] },
      { name: `blk.${i}.attn_k.weight`, dims: [embedding, embedding] },
      { name: `blk.${i}.attn_v.weight`, dims: [embedding, embedding] },
      { name: `blk.${i}.attn_output.weight`, dims: [embedding, embedding] },
      { name: `blk.${i}.ffn_norm.weight`, dims: [embedding] },
      { name: `blk.${i}.ffn_gate.weight`, dims: [embedding, feedForward] },
      { name: `blk.${i}.ffn_up.weight`, dims: [embedding, feedForward] },
      { name: `blk.${i}.ffn_down.weight`, dims: [feedForward, embedding] },
    );
  }

  const head = new Bytes();
  head.push(Buffer.from('GGUF', 'ascii'));
  head.u32(3);
  head.u64(tensors.length);
  head.u64(metadata.length);
  for (const [key, value] of metadata) {
    head.str(key);
    writeValue(head, value);
  }
  const rng = seededRandom(seed);
  const data = new Bytes();
  for (const t of tensors) {
    head.str(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(0); // GGML_TYPE_F32
    data.pad(32);
    head.u64(data.length);
    const count = t.dims.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    const isNorm = t.dims.length === 1;
    for (let k = 0; k < count; k++) values[k] = isNorm ? 1 : rng.uniform(-0.1, 0.1);
    data.push(Buffer.from(values.buffer));
  }
  head.pad(32);
  await writeFile(path, Buffer.concat([head.concat(), data.concat()]));
}

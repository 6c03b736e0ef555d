// The reference-parity fixture (test/fixtures/lgvi-parity, made by models/export/make_parity_fixture.py
// from the LGVI authors' own classes and pipeline): its recorded tensors, and its pack made loadable.
// The fixture ships the U-Net and the VAE as the exporter wrote them; the tiny CLIP text encoder is
// left out (its token embedding alone is 150 MB) and its outputs are recorded instead, so the
// loadable copy gets a stand-in text encoder (never run by the parity test) and the real CLIP
// tokenizer.json built from ../shared/data/clip.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { editManifest, replaceModelFile } from './fixturePacks';
import { clipTokenizerJsonPath } from './clipTokenizer';
import { randomTextEncoder } from './packs/randomGraphs';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

// LACUNA_PARITY_FIXTURE names another copy of the fixture, e.g. with its U-Net's attention fused
// (models/export/fuse_attention.py), to hold that file to the same reference.
export const PARITY_FIXTURE_DIR = process.env.LACUNA_PARITY_FIXTURE || fileURLToPath(new URL('../fixtures/lgvi-parity/', import.meta.url));

export interface TensorEntry {
  dtype: 'float32' | 'int32' | 'uint8';
  shape: number[];
  offset: number;
  bytes: number;
}

export interface ParityRun {
  name: string;
  scheduler: Record<string, unknown>;
  steps: number;
  timesteps: number[];
  initNoiseSigma: number;
  ancestral: number;
}

export interface ParityRecord {
  versions: string;
  reference: string;
  working: { width: number; height: number; frames: number };
  latentScale: number;
  guidance: { text: number; image: number };
  prompt: string;
  frames: string[];
  tokenizer: { prompt: string; ids: string }[];
  resizes: { name: string; source: string | { texture: 'fine' | 'smooth'; width: number; height: number }; width: number; height: number }[];
  runs: ParityRun[];
  export_report: string[];
  tensors: Record<string, TensorEntry>;
}

export interface ParityFixture {
  readonly record: ParityRecord;
  float(name: string): Float32Array;
  int(name: string): Int32Array;
  bytes(name: string): Uint8Array;
  shape(name: string): number[];
}

export async function readParityFixture(dir = PARITY_FIXTURE_DIR): Promise<ParityFixture> {
  const record = JSON.parse(await readFile(join(dir, 'record.json'), 'utf8')) as ParityRecord;
  const blob = gunzipSync(await readFile(join(dir, 'tensors.bin.gz')));
  const entry = (name: string, dtype: TensorEntry['dtype']) => {
    const e = record.tensors[name];
    if (!e) throw new Error(`the parity fixture has no tensor ${name}`);
    if (e.dtype !== dtype) throw new Error(`parity fixture tensor ${name} is ${e.dtype}, not ${dtype}`);
    return blob.subarray(e.offset, e.offset + e.bytes);
  };
  // Copies: the blob's offsets are not aligned for typed-array views.
  return {
    record,
    float: (name) => new Float32Array(Uint8Array.from(entry(name, 'float32')).buffer),
    int: (name) => new Int32Array(Uint8Array.from(entry(name, 'int32')).buffer),
    bytes: (name) => Uint8Array.from(entry(name, 'uint8')),
    shape: (name) => record.tensors[name].shape,
  };
}

/** A loadable copy of the fixture pack in a temp folder (see the file comment). */
export async function parityPackCopy(dir = PARITY_FIXTURE_DIR): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'lacuna-parity-pack-'));
  await cp(dir, copy, { recursive: true });
  await replaceModelFile(copy, 'textEncoder', randomTextEncoder({ float: 'float32', ids: 'int64' }, 1).toBytes());
  const tokenizer = await readFile(await clipTokenizerJsonPath());
  await writeFile(join(copy, 'tokenizer.json'), tokenizer);
  await editManifest(copy, (m) => {
    m.files.tokenizer = { path: 'tokenizer.json', size: tokenizer.length, sha256: sha256(tokenizer) };
  });
  return copy;
}

/** The generated frames of the resize cases, as make_parity_fixture.py's texture() makes them. */
export function parityTexture(width: number, height: number, kind: 'fine' | 'smooth'): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = (y * width + x) * 3;
      if (kind === 'fine') {
        out[k] = (x * 7 + y * 13 + ((x * y) >> 3)) & 255;
        out[k + 1] = (x * x + y * 3) & 255;
        out[k + 2] = ((x ^ y) * 5) & 255;
      } else {
        out[k] = Math.floor((x * 255) / Math.max(width - 1, 1));
        out[k + 1] = Math.floor((y * 255) / Math.max(height - 1, 1));
        out[k + 2] = Math.floor(((x + y) * 255) / Math.max(width + height - 2, 1));
      }
    }
  }
  return out;
}

/** Largest |got - want| over the largest |want| (the exporter's measure). */
export function maxRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`lengths differ: ${got.length} vs ${want.length}`);
  let scale = 1e-12;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    const d = Math.abs(got[i] - want[i]);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
  }
  return diff / scale;
}

// Model packs generated in TypeScript with the real pack's contract, since the real LGVI weights
// cannot be used in tests or CI. Three kinds:
//   - tiny random: the exact contract (names, dtypes, dynamic B/T/H/W) around a miniature random
//     network; for loader and pipeline plumbing tests.
//   - analytic: every model computes a documented closed-form function, mirrored in TypeScript by
//     test/helpers/analyticReference.ts, so a sampler run on it can be checked numerically.
//   - bench: the analytic models declared at LGVI's real sizes (512x320, 24 frames; latents
//     24x40x64; text [1,77,768]) with the mask at image size: real I/O volume, trivial compute,
//     for benchmarks of the engine around the models (bench/ imports this file).
// Each is written to a folder with a manifest carrying real sizes and SHA-256s and a tokenizer.json.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LGVI_CONTRACT } from '../../src/engine/lgvi/pack/contract';
import { MANIFEST_FILE, MODEL_ROLES, PACK_FORMAT, type ModelRole, type PackManifest, type TensorSpec } from '../../src/engine/lgvi/pack/manifest';
import type { GraphBuilder } from '../../src/engine/onnx/graphBuilder';
import { analyticTextEncoder, analyticUnet, analyticVaeDecoder, analyticVaeEncoder, type GraphPrecision } from './packs/analyticGraphs';
import { minimalTokenizerJson } from './packs/minimalTokenizer';
import { randomTextEncoder, randomUnet, randomVaeDecoder, randomVaeEncoder } from './packs/randomGraphs';

export type FixtureKind = 'tiny-random' | 'analytic';

export interface WorkingSize {
  readonly width: number;
  readonly height: number;
  readonly frames: number;
}

/** LGVI's own working size: 512 x 320, 24-frame windows. */
export const LGVI_WORKING: WorkingSize = { width: 512, height: 320, frames: 24 };
/** A small working size for fast end-to-end tests: latents 4 x 5 x 8. */
export const SMALL_WORKING: WorkingSize = { width: 64, height: 40, frames: 4 };

/** A Stable Diffusion 1.x DDIM scheduler_config.json, as diffusers writes it. */
export const SD_DDIM_SCHEDULER = {
  _class_name: 'DDIMScheduler',
  _diffusers_version: '0.21.4',
  beta_end: 0.012,
  beta_schedule: 'scaled_linear',
  beta_start: 0.00085,
  clip_sample: false,
  clip_sample_range: 1.0,
  dynamic_thresholding_ratio: 0.995,
  num_train_timesteps: 1000,
  prediction_type: 'epsilon',
  rescale_betas_zero_snr: false,
  sample_max_value: 1.0,
  set_alpha_to_one: false,
  steps_offset: 1,
  thresholding: false,
  timestep_spacing: 'leading',
  trained_betas: null,
} as const;

export interface FixturePackOptions {
  kind: FixtureKind;
  /** Folder to write into (created by the caller); default a fresh temp folder. */
  dir?: string;
  working?: WorkingSize;
  /** Where the U-Net's mask comes out: latent size (default) or image size. */
  maskSize?: 'latent' | 'image';
  /** Element type of input_ids (default int64). */
  ids?: 'int64' | 'int32';
  /** Also write fp16 variants (float16 inputs and outputs). */
  fp16?: boolean;
  /** Store the U-Net's weights in an external-data file (as the real pack must). */
  externalData?: boolean;
  /**
   * The U-Net's text length: CLIP's 77 tokens (default), or any length ('any': the symbol L, as an
   * LGVI-I pack's U-Net takes its transfer head's instruction embedding). Tiny random packs only.
   */
  textLength?: 'clip' | 'any';
  /** Weight seed of the tiny random pack. */
  seed?: number;
  /** A tokenizer.json to copy in (e.g. the CLIP one); default a small valid WordLevel tokenizer. */
  tokenizerJsonPath?: string;
  scheduler?: Record<string, unknown>;
  id?: string;
  name?: string;
}

export interface FixturePack {
  readonly dir: string;
  readonly manifest: PackManifest;
  /** Removes the folder (only when this module created it). */
  cleanup(): Promise<void>;
}

const FILE_NAMES: Record<ModelRole, string> = {
  textEncoder: LGVI_CONTRACT.textEncoder.file,
  vaeEncoder: LGVI_CONTRACT.vaeEncoder.file,
  vaeDecoder: LGVI_CONTRACT.vaeDecoder.file,
  unet: LGVI_CONTRACT.unet.file,
};

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function buildGraph(kind: FixtureKind, role: ModelRole, p: GraphPrecision, maskSize: 'latent' | 'image', seed: number, anyTextLength: boolean): GraphBuilder {
  if (kind === 'analytic') {
    switch (role) {
      case 'textEncoder':
        return analyticTextEncoder(p);
      case 'vaeEncoder':
        return analyticVaeEncoder(p);
      case 'vaeDecoder':
        return analyticVaeDecoder(p);
      case 'unet':
        return analyticUnet(p, maskSize);
    }
  }
  // Different seeds per model, fixed per pack seed: identical packs from identical options.
  switch (role) {
    case 'textEncoder':
      return randomTextEncoder(p, seed * 4 + 1);
    case 'vaeEncoder':
      return randomVaeEncoder(p, seed * 4 + 2);
    case 'vaeDecoder':
      return randomVaeDecoder(p, seed * 4 + 3);
    case 'unet':
      return randomUnet(p, seed * 4 + 4, maskSize, anyTextLength);
  }
}

/** The manifest's tensor list for a role, straight from the contract. */
function tensorSpecs(role: ModelRole, side: 'inputs' | 'outputs', p: GraphPrecision, maskSize: 'latent' | 'image', anyTextLength: boolean): TensorSpec[] {
  return LGVI_CONTRACT[role][side].map((c) => ({
    name: c.name,
    dtype: c.name === 'input_ids' ? p.ids : (p.float as TensorSpec['dtype']),
    shape: [...((c.name === 'mask' && maskSize === 'image') || (c.name === 'encoder_hidden_states' && anyTextLength) ? c.shapes[1] : c.shapes[0])],
  }));
}

async function writeBytes(dir: string, name: string, bytes: Uint8Array): Promise<{ path: string; size: number; sha256: string }> {
  await writeFile(join(dir, name), bytes);
  return { path: name, size: bytes.length, sha256: sha256(bytes) };
}

export async function writeFixturePack(options: FixturePackOptions): Promise<FixturePack> {
  const owned = !options.dir;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), `lacuna-${options.kind}-pack-`)));
  const working = options.working ?? LGVI_WORKING;
  const maskSize = options.maskSize ?? 'latent';
  const ids = options.ids ?? 'int64';
  const seed = options.seed ?? 1;
  const anyTextLength = options.textLength === 'any';
  if (anyTextLength && options.kind !== 'tiny-random') throw new Error('textLength any: tiny random packs only');

  const files = {} as Record<ModelRole, PackManifest['files'][ModelRole]>;
  for (const role of MODEL_ROLES) {
    const variants: [GraphPrecision, string][] = [[{ float: 'float32', ids }, FILE_NAMES[role]]];
    if (options.fp16) variants.push([{ float: 'float16', ids }, FILE_NAMES[role].replace(/\.onnx$/, '.fp16.onnx')]);
    const written = [];
    for (const [precision, name] of variants) {
      const graph = buildGraph(options.kind, role, precision, maskSize, seed, anyTextLength);
      let file;
      let data;
      if (options.externalData && role === 'unet') {
        const split = graph.toBytesWithExternalData(`${name}.data`, 256);
        file = await writeBytes(dir, name, split.model);
        data = [await writeBytes(dir, `${name}.data`, split.data)];
      } else {
        file = await writeBytes(dir, name, graph.toBytes());
      }
      written.push({
        ...file,
        ...(data ? { data } : {}),
        inputs: tensorSpecs(role, 'inputs', precision, maskSize, anyTextLength),
        outputs: tensorSpecs(role, 'outputs', precision, maskSize, anyTextLength),
      });
    }
    const [main, half] = written;
    files[role] = half ? { ...main, fp16: half } : main;
  }

  const tokenizerBytes = options.tokenizerJsonPath ? await readFile(options.tokenizerJsonPath) : new TextEncoder().encode(minimalTokenizerJson());
  const tokenizer = await writeBytes(dir, 'tokenizer.json', tokenizerBytes);

  const manifest: PackManifest = {
    format: PACK_FORMAT,
    formatVersion: 1,
    id: options.id ?? `fixture-${options.kind}`,
    name: options.name ?? (options.kind === 'analytic' ? 'Analytic fixture pack' : 'Tiny random fixture pack'),
    version: '0.0.1',
    description: 'Generated by test/helpers/fixturePacks.ts: LGVI contract, not LGVI weights. For tests and benchmarks only.',
    source: { url: 'https://github.com/lacuna/lacuna/blob/main/test/helpers/fixturePacks.ts', notes: `kind ${options.kind}, seed ${seed}` },
    licence: { name: 'UNLICENSED (test fixture)' },
    working: { ...working, latentScale: 0.18215 },
    defaults: { guidanceScale: 3.0, imageGuidanceScale: 1.5, steps: 50 },
    scheduler: { ...(options.scheduler ?? SD_DDIM_SCHEDULER) } as PackManifest['scheduler'],
    files: { ...files, tokenizer },
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    dir,
    manifest,
    cleanup: async () => {
      if (owned) await rm(dir, { recursive: true, force: true });
    },
  };
}

export const writeTinyRandomPack = (options: Omit<FixturePackOptions, 'kind'> = {}) => writeFixturePack({ ...options, kind: 'tiny-random' });

export const writeAnalyticPack = (options: Omit<FixturePackOptions, 'kind'> = {}) => writeFixturePack({ ...options, kind: 'analytic' });

/** The benchmark pack: analytic models at LGVI's real working size, mask at image size. */
export const writeBenchPack = (options: Omit<FixturePackOptions, 'kind'> = {}) =>
  writeFixturePack({ working: LGVI_WORKING, maskSize: 'image', ...options, kind: 'analytic' });

/** Rewrites manifest.json through `edit` (the parsed JSON, mutable), for tests of broken packs. */
export async function editManifest(dir: string, edit: (manifest: Record<string, unknown> & PackManifest) => void): Promise<void> {
  const path = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  edit(manifest);
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Replaces a model file (e.g. with a graph whose input is misnamed) and updates its size and
 * checksum in the manifest, so the pack fails only where the test means it to.
 */
export async function replaceModelFile(dir: string, role: ModelRole, bytes: Uint8Array, variant: 'fp32' | 'fp16' = 'fp32'): Promise<void> {
  const path = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(await readFile(path, 'utf8')) as PackManifest;
  const entry = variant === 'fp16' ? manifest.files[role].fp16 : manifest.files[role];
  if (!entry) throw new Error(`the pack has no ${variant} ${role}`);
  await writeFile(join(dir, entry.path), bytes);
  entry.size = bytes.length;
  entry.sha256 = sha256(bytes);
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

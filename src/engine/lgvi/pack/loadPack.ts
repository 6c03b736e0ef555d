// Opening a model pack for a job: manifest checked, files present with the right checksums,
// execution providers chosen; the four ONNX sessions themselves open on first use. Everything a
// user can fix comes back as MODEL_PACK_NOT_FOUND / MODEL_PACK_INVALID naming the file and field
// or tensor; the sampler never sees a half-valid pack.
import { join } from 'node:path';
import { LacunaError } from '../../util/errors';
import { maskResolution } from './contract';
import { PackFileVerifier, VerifiedCache, verifiedCachePath, type ChecksumProgress, type FileCheck, type HashFile } from './checksums';
import {
  chooseProviders,
  currentProviderEnvironment,
  detectProviders,
  type ProviderEnvironment,
  type ProviderPreference,
  type ProviderReport,
} from './executionProviders';
import { MODEL_ROLES, variantFiles, type FileRef, type ModelRole, type ModelVariant, type PackManifest } from './manifest';
import type { SessionFactory } from './ortRunner';
import { threadSessionFactory } from './ortThread';
import { readPackDir } from './packDir';
import { parseManifest } from './parseManifest';
import { ModelSession, pickVariant, type PrecisionPreference, type SessionTuning } from './sessions';
import { tokenizerFileProblem } from './tokenizerFile';

export interface LoadPackOptions {
  /** Execution provider setting: "auto" (CUDA, DirectML, CoreML, CPU by availability) or one of them. */
  providers?: ProviderPreference;
  /** With a named provider: fail instead of falling back to the CPU when it is unavailable. */
  strictProvider?: boolean;
  /** "auto": fp16 variants on GPUs where the pack has them, fp32 on the CPU. */
  precision?: PrecisionPreference;
  /** Folder for the verified-checksum cache; default: inside the pack (skipped if not writable). */
  cacheDir?: string;
  /** false skips checksums entirely (pack development); size and presence are still checked. */
  checksums?: boolean;
  /** Open all four sessions now instead of on first use. */
  eager?: boolean;
  tuning?: SessionTuning;
  signal?: AbortSignal;
  onProgress?: (progress: ChecksumProgress) => void;
  /** Provider fallbacks and out-of-memory retries, as sentences for the job log. */
  onNotice?: (message: string) => void;
  // Injection points for tests and for embedding hosts.
  hashFile?: HashFile;
  createSession?: SessionFactory;
  providerEnvironment?: ProviderEnvironment;
}

export interface LoadedPack {
  /** Absolute path of the pack folder. */
  readonly dir: string;
  readonly manifest: PackManifest;
  readonly providers: ProviderReport;
  /** Absolute path of tokenizer.json, for the tokenizer module. */
  readonly tokenizerPath: string;
  /** Whether the U-Net's mask output is at latent size (h x w) or image size (H x W). */
  readonly maskResolution: 'latent' | 'image';
  readonly models: Readonly<Record<ModelRole, ModelSession>>;
  /** The files checked while loading and how (hashed now, or remembered from an earlier launch). */
  readonly fileChecks: readonly FileCheck[];
  /** Releases every open session (call after the job); the pack stays usable and reopens on demand. */
  release(): Promise<void>;
}


function filesInvalid(dir: string, bad: readonly FileCheck[]): LacunaError {
  return new LacunaError(
    'MODEL_PACK_INVALID',
    `model pack ${dir} has missing or damaged files:\n${bad.map((c) => `  ${c.path} (${c.field}): ${c.message ?? c.status}`).join('\n')}`,
    'Re-download the pack (or the files named), then try again; `lacuna models verify` checks every file.',
  );
}

export async function loadPack(dir: string, options: LoadPackOptions = {}): Promise<LoadedPack> {
  const location = await readPackDir(dir);
  const manifest = parseManifest(location.manifestText, location.dir);

  const environment = options.providerEnvironment ?? (await currentProviderEnvironment());
  const providers = chooseProviders(options.providers ?? 'auto', detectProviders(environment), options.strictProvider);
  const precision = options.precision ?? 'auto';

  const checksums = options.checksums ?? true;
  const cache = checksums ? await VerifiedCache.open(verifiedCachePath(location.dir, options.cacheDir), location.dir) : undefined;
  const verifier = new PackFileVerifier(location.dir, {
    cache,
    hashFile: options.hashFile,
    skipChecksums: !checksums,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const fileChecks: FileCheck[] = [];

  /** Checks every file of every group, remembers the results, and returns the bad ones. */
  const checkGroups = async (groups: readonly { refs: readonly FileRef[]; field: string }[]): Promise<FileCheck[]> => {
    const bad: FileCheck[] = [];
    for (const { refs, field } of groups) {
      for (const ref of refs) {
        const check = await verifier.check(ref, field);
        if (!fileChecks.some((c) => c.path === check.path)) fileChecks.push(check);
        if (check.status !== 'ok') bad.push(check);
      }
    }
    await cache?.save();
    return bad;
  };
  const verifyVariant = async (variant: ModelVariant, field: string): Promise<void> => {
    const bad = await checkGroups([{ refs: variantFiles(variant), field }]);
    if (bad.length) throw filesInvalid(location.dir, bad);
  };

  // Up front: the tokenizer and the variants the first-choice provider will use, all reported
  // together. A variant needed only after a provider fallback is verified when that happens.
  const first = providers.candidates[0] ?? 'cpu';
  const upFront = [{ refs: [manifest.files.tokenizer], field: 'files.tokenizer' }];
  for (const role of MODEL_ROLES) {
    const picked = pickVariant(manifest.files[role], first, precision);
    upFront.push({ refs: variantFiles(picked.variant), field: `files.${role}${picked.precision === 'fp16' ? '.fp16' : ''}` });
  }
  const bad = await checkGroups(upFront);
  if (bad.length) throw filesInvalid(location.dir, bad);

  const tokenizerPath = join(location.dir, manifest.files.tokenizer.path);
  const tokenizerProblem = await tokenizerFileProblem(tokenizerPath, manifest.files.tokenizer.path);
  if (tokenizerProblem) throw new LacunaError('MODEL_PACK_INVALID', `model pack ${location.dir}: ${tokenizerProblem}`);

  // Sessions run on their own thread by default, so the event loop keeps working during a run.
  const createSession = options.createSession ?? threadSessionFactory;
  const models = Object.fromEntries(
    MODEL_ROLES.map((role) => [
      role,
      new ModelSession({
        dir: location.dir,
        role,
        entry: manifest.files[role],
        candidates: providers.candidates,
        precision,
        verifyVariant,
        createSession,
        tuning: options.tuning,
        onNotice: options.onNotice,
      }),
    ]),
  ) as Record<ModelRole, ModelSession>;

  const pack: LoadedPack = {
    dir: location.dir,
    manifest,
    providers,
    tokenizerPath,
    maskResolution: maskResolution(manifest),
    models,
    fileChecks,
    release: async () => {
      for (const role of MODEL_ROLES) await models[role].release();
    },
  };
  if (options.eager) {
    try {
      for (const role of MODEL_ROLES) await models[role].open();
    } catch (e) {
      await pack.release();
      throw e;
    }
  }
  return pack;
}

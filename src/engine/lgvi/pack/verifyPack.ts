// `lacuna models verify <dir>`: checks a whole pack and reports every problem instead of stopping
// at the first, because someone repairing a pack (or a download) wants the full list. Unlike
// loadPack it checks every file the manifest lists, fp16 variants included, and opens each model
// on the CPU to compare its real inputs and outputs with the manifest.
import { join } from 'node:path';
import { maskResolution } from './contract';
import { PackFileVerifier, VerifiedCache, verifiedCachePath, type ChecksumProgress, type FileStatus, type HashFile } from './checksums';
import {
  chooseProviders,
  currentProviderEnvironment,
  detectProviders,
  type ProviderEnvironment,
  type ProviderPreference,
  type ProviderReport,
} from './executionProviders';
import { MODEL_ROLES, variantFiles, type ModelRole, type ModelVariant, type PackManifest } from './manifest';
import type { SessionFactory } from './ortRunner';
import { readPackDir } from './packDir';
import { checkManifestText, type ManifestProblem } from './parseManifest';
import { checkSessionSignature } from './sessionCheck';
import { tokenizerFileProblem } from './tokenizerFile';
import { verifyInteractivePart, type InteractiveRole } from '../../lgviI/verifyInteractivePart';

export interface VerifyPackOptions {
  /** Open each model on the CPU and compare its tensors with the manifest (default true). */
  sessions?: boolean;
  /** Where the verified-checksum cache lives (default: Lacuna's data folder, never the pack). */
  cacheDir?: string;
  /** Hash every file even if the cache remembers it (after a suspected disk problem). */
  rehash?: boolean;
  /** Provider preference to report against (the user's setting). */
  providers?: ProviderPreference;
  signal?: AbortSignal;
  onProgress?: (progress: ChecksumProgress) => void;
  hashFile?: HashFile;
  createSession?: SessionFactory;
  providerEnvironment?: ProviderEnvironment;
}

export type VerifiedFileStatus = FileStatus | 'bad-tensors' | 'unloadable' | 'bad-format';

export interface VerifiedFile {
  /** The model role, "tokenizer", or a file of the LGVI-I part (lgvi-i.json and what it names). */
  readonly role: ModelRole | 'tokenizer' | InteractiveRole;
  readonly variant?: 'fp32' | 'fp16';
  /** Path inside the pack. */
  readonly path: string;
  /** Manifest field listing it, e.g. "files.unet.fp16". */
  readonly field: string;
  readonly status: VerifiedFileStatus;
  readonly checksum?: 'hashed' | 'cached' | 'skipped';
  /** What is wrong, one sentence each (tensor problems name the tensor). */
  readonly problems: readonly string[];
}

export type ManifestVerdict =
  | { readonly ok: true; readonly id: string; readonly name: string; readonly version: string; readonly maskResolution: 'latent' | 'image' }
  | { readonly ok: false; readonly problems: readonly ManifestProblem[] };

export interface VerifyReport {
  readonly dir: string;
  readonly ok: boolean;
  readonly manifest: ManifestVerdict;
  readonly files: readonly VerifiedFile[];
  readonly providers: ProviderReport;
  /** False when the verified-checksum cache could not be written (read-only pack folder). */
  readonly cacheWritten: boolean;
  /** The parsed manifest, when it parsed (for the memory estimate). */
  readonly packManifest?: PackManifest;
}

const defaultSessionFactory: SessionFactory = async (path, options) => {
  const ort = await import('onnxruntime-node');
  return ort.InferenceSession.create(path, options);
};

async function checkModelTensors(
  dir: string,
  variant: ModelVariant,
  createSession: SessionFactory,
): Promise<{ status: 'ok' | 'bad-tensors' | 'unloadable'; problems: string[] }> {
  let session;
  try {
    // No graph optimisation: only the signature is wanted, and optimising a U-Net takes a while.
    session = await createSession(join(dir, variant.path), { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
  } catch (e) {
    return { status: 'unloadable', problems: [`onnxruntime cannot load ${variant.path}: ${(e as Error).message.split('\n')[0]}`] };
  }
  try {
    const problems = checkSessionSignature(session, variant).map((p) => `${variant.path}: ${p.message}`);
    return { status: problems.length ? 'bad-tensors' : 'ok', problems };
  } finally {
    await session.release().catch(() => {});
  }
}

export async function verifyPack(dir: string, options: VerifyPackOptions = {}): Promise<VerifyReport> {
  const location = await readPackDir(dir);
  const environment = options.providerEnvironment ?? (await currentProviderEnvironment());
  const providers = chooseProviders(options.providers ?? 'auto', detectProviders(environment));

  const parsed = checkManifestText(location.manifestText);
  if (!parsed.ok) {
    return { dir: location.dir, ok: false, manifest: { ok: false, problems: parsed.problems }, files: [], providers, cacheWritten: true };
  }
  const { manifest } = parsed;
  const cache = await VerifiedCache.open(verifiedCachePath(location.dir, options.cacheDir), location.dir);
  const verifier = new PackFileVerifier(location.dir, {
    cache,
    rehash: options.rehash,
    hashFile: options.hashFile,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const createSession = options.createSession ?? defaultSessionFactory;
  const files: VerifiedFile[] = [];

  for (const role of MODEL_ROLES) {
    const entry = manifest.files[role];
    const variants: ['fp32' | 'fp16', ModelVariant, string][] = [['fp32', entry, `files.${role}`]];
    if (entry.fp16) variants.push(['fp16', entry.fp16, `files.${role}.fp16`]);
    for (const [variantName, variant, field] of variants) {
      const checks = [];
      for (const ref of variantFiles(variant)) checks.push(await verifier.check(ref, field));
      const [model, ...data] = checks;
      let status: VerifiedFileStatus = model.status;
      const problems = checks.filter((c) => c.status !== 'ok').map((c) => c.message ?? c.status);
      const badData = data.find((d) => d.status !== 'ok');
      if (model.status === 'ok' && badData) status = badData.status;
      if (status === 'ok' && (options.sessions ?? true)) {
        const tensors = await checkModelTensors(location.dir, variant, createSession);
        status = tensors.status;
        problems.push(...tensors.problems);
      }
      files.push({ role, variant: variantName, path: variant.path, field, status, checksum: model.checksum, problems });
    }
  }

  const tokenizer = await verifier.check(manifest.files.tokenizer, 'files.tokenizer');
  let tokenizerStatus: VerifiedFileStatus = tokenizer.status;
  const tokenizerProblems = tokenizer.message ? [tokenizer.message] : [];
  if (tokenizer.status === 'ok') {
    const problem = await tokenizerFileProblem(join(location.dir, manifest.files.tokenizer.path), manifest.files.tokenizer.path);
    if (problem) {
      tokenizerStatus = 'bad-format';
      tokenizerProblems.push(problem);
    }
  }
  files.push({
    role: 'tokenizer',
    path: manifest.files.tokenizer.path,
    field: 'files.tokenizer',
    status: tokenizerStatus,
    checksum: tokenizer.checksum,
    problems: tokenizerProblems,
  });

  // The LGVI-I part, where the pack has one (its files carry no checksums of their own).
  files.push(...(await verifyInteractivePart(location.dir, { sessions: options.sessions ?? true, createSession })));

  const cacheWritten = await cache.save();
  return {
    dir: location.dir,
    ok: files.every((f) => f.status === 'ok'),
    manifest: { ok: true, id: manifest.id, name: manifest.name, version: manifest.version, maskResolution: maskResolution(manifest) },
    files,
    providers,
    cacheWritten,
    packManifest: manifest,
  };
}

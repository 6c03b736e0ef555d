// The LGVI model packs the app offers, as the Settings dialog manages them: the packs found in the
// models folders (bundled, the user's) and the folders the user added (kept in the settings, so
// the list survives a restart). Removing a pack takes it off the list only; the user's files are
// never touched. Verification is verifyPack's (every file hashed, every model opened on the CPU),
// with its checksum cache in the data folder, so checking an unchanged pack again is quick.
import { join, resolve } from 'node:path';
import type { ModelPackDto, ModelsViewDto } from '../../api/schemas/settings';
import { findModelPacks } from '../lgvi/pack/findPacks';
import { chooseProviders, currentProviderEnvironment, detectProviders, PROVIDER_TITLES, type ProviderEnvironment } from '../lgvi/pack/executionProviders';
import { readPackDir } from '../lgvi/pack/packDir';
import { checkManifestText } from '../lgvi/pack/parseManifest';
import { verifyPack, type VerifyPackOptions, type VerifyReport } from '../lgvi/pack/verifyPack';
import { hasInteractivePart, packRemovalEngines } from '../removal/installedEngines';
import type { RemovalEngine } from '../removal/removalEngine';
import { LacunaError } from '../util/errors';
import type { AppSettingsStore } from './appSettings';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PackVerificationSchema } from '../../api/schemas/settings';
import { writeFileAtomic } from '../util/atomicWrite';

/**
 * Verdicts kept across launches, each with the manifest it was reached on: a pack updated in
 * place (new manifest) is "not verified" again. Files changed behind an unchanged manifest are
 * caught when the pack is next verified or used (loadPack checks them against the checksum cache).
 */
const VerdictsFileSchema = z.record(z.string(), z.object({ manifestSha256: z.string(), verification: PackVerificationSchema }));
type VerdictsFile = z.infer<typeof VerdictsFileSchema>;
const VERDICTS_FILE = 'pack-verdicts.json';

export interface ModelPacksOptions {
  dataDir: string;
  /** Models folders searched for packs (findModelPacks). */
  roots?: readonly string[];
  settings: AppSettingsStore;
  /** Engines that need no pack (Lite), offered after the packs' engines. */
  baseEngines: readonly RemovalEngine[];
  /** Tests: the machine's providers, and verifyPack's own options. */
  providerEnvironment?: ProviderEnvironment;
  verify?: Pick<VerifyPackOptions, 'createSession' | 'hashFile' | 'sessions'>;
}

type Verification = ModelPackDto['verification'];

/** The problems of a report, one sentence each, manifest first. */
export function verifyProblems(report: VerifyReport): string[] {
  if (!report.manifest.ok) return report.manifest.problems.map((p) => `manifest.json ${p.field}: ${p.message}`);
  return report.files.flatMap((f) => (f.status === 'ok' ? [] : f.problems.length ? f.problems : [`${f.path}: ${f.status}`]));
}

export class ModelPacks {
  /** Results of verification, by pack folder (this session's, and those kept from earlier ones). */
  readonly #verdicts = new Map<string, Verification>();
  #loaded: Promise<void> | null = null;
  #saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ModelPacksOptions) {}

  get #verdictsFile(): string {
    return join(this.options.dataDir, 'model-checks', VERDICTS_FILE);
  }

  /** Reads the kept verdicts once; one whose pack's manifest changed since is dropped (unverified). */
  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const kept = await readFile(this.#verdictsFile, 'utf8')
        .then((t) => VerdictsFileSchema.safeParse(JSON.parse(t)))
        .catch(() => null);
      if (!kept?.success) return;
      for (const [dir, v] of Object.entries(kept.data)) {
        if (!this.#verdicts.has(dir) && (await manifestSha(dir)) === v.manifestSha256) this.#verdicts.set(dir, v.verification);
      }
    })();
    return this.#loaded;
  }

  /** Writes the verdicts (one write at a time, the latest state last). */
  #save(): Promise<unknown> {
    this.#saving = this.#saving.then(async () => {
      const out: VerdictsFile = {};
      for (const [dir, verification] of this.#verdicts) {
        const sha = await manifestSha(dir);
        if (sha) out[dir] = { manifestSha256: sha, verification };
      }
      await mkdir(join(this.options.dataDir, 'model-checks'), { recursive: true });
      await writeFileAtomic(this.#verdictsFile, `${JSON.stringify(out, null, 2)}\n`);
    }).catch(() => {}); // a verdict not kept only means "not verified" after the next launch
    return this.#saving;
  }

  /** Every pack folder listed: found ones first (folder order), then the added ones (order added). */
  async folders(): Promise<{ dir: string; source: 'added' | 'found' }[]> {
    const found = (await findModelPacks(this.options.roots ?? [])).map((d) => resolve(d));
    const added = this.options.settings.current.packDirs.map((d) => resolve(d)).filter((d) => !found.includes(d));
    return [...found.map((dir) => ({ dir, source: 'found' as const })), ...added.map((dir) => ({ dir, source: 'added' as const }))];
  }

  /**
   * The removal engines installed now: each pack engine of every pack that provides it and has
   * not failed verification (an unverified one is checked when first used), the first pack's
   * first (it is the default: an engine is looked up by id, first match), then the base ones.
   * The Remove dialog offers the other packs of an engine by their folder.
   */
  async engines(): Promise<RemovalEngine[]> {
    const { packs } = await this.#attribution();
    // Every pack not failed runs; the first of each engine (the one `provides` names) is its default.
    const usable = packs.filter((p) => p.usable).map((p) => p.dir);
    const fromPacks = byIdInOrder(packRemovalEngines(usable, { providers: this.options.settings.current.providers }));
    return [...fromPacks, ...this.options.baseEngines.filter((e) => !fromPacks.some((p) => p.id === e.id))];
  }

  async list(): Promise<ModelsViewDto> {
    const { packs } = await this.#attribution();
    const env = this.options.providerEnvironment ?? (await currentProviderEnvironment());
    const report = chooseProviders(this.options.settings.current.providers, detectProviders(env));
    const engines = await this.engines();
    return {
      packs: await Promise.all(packs.map((p) => this.#describe(p.dir, p.source, p.provides))),
      providers: report.statuses.map((s) => ({ name: s.name, title: PROVIDER_TITLES[s.name], available: s.available, reason: s.reason })),
      candidates: [...report.candidates],
      // One entry per engine (its other packs are the same engine).
      engines: engines.filter((e, i) => engines.findIndex((x) => x.id === e.id) === i).map((e) => ({ id: e.id, label: e.label })),
    };
  }

  /** Adds a pack folder to the list (refused when it is not a pack at all) and verifies it. */
  async add(dir: string): Promise<string> {
    const location = await readPackDir(dir); // MODEL_PACK_NOT_FOUND with a clear message
    await this.options.settings.update((s) => (s.packDirs.map((d) => resolve(d)).includes(location.dir) ? s : { ...s, packDirs: [...s.packDirs, location.dir] }));
    await this.verify(location.dir);
    return location.dir;
  }

  /** Takes an added pack off the list; its files stay where they are. */
  async remove(dir: string): Promise<void> {
    const abs = resolve(dir);
    const listed = (await this.folders()).find((f) => f.dir === abs);
    if (!listed) throw new LacunaError('NOT_FOUND', `${abs} is not in the list of model packs`, 'It may have been removed already.');
    if (listed.source === 'found') {
      throw new LacunaError(
        'UNSUPPORTED',
        `${abs} is in a models folder Lacuna searches, so it cannot be taken off the list here`,
        'Move the folder out of the models folder to stop using it (Lacuna never deletes your files).',
      );
    }
    await this.options.settings.update((s) => ({ ...s, packDirs: s.packDirs.filter((d) => resolve(d) !== abs) }));
    this.#verdicts.delete(abs);
    await this.#save();
  }

  async verify(dir: string): Promise<Verification> {
    const abs = resolve(dir);
    const at = new Date().toISOString();
    let verdict: Verification;
    try {
      const report = await verifyPack(abs, {
        ...this.options.verify,
        cacheDir: join(this.options.dataDir, 'model-checks'),
        providers: this.options.settings.current.providers,
        providerEnvironment: this.options.providerEnvironment,
      });
      verdict = report.ok ? { state: 'ok', at } : { state: 'failed', at, problems: verifyProblems(report).slice(0, 20) };
    } catch (e) {
      verdict = { state: 'failed', at, problems: [(e as Error).message] };
    }
    await this.#load();
    this.#verdicts.set(abs, verdict);
    await this.#save();
    return verdict;
  }

  /** Which pack provides which engine: the first not-failed pack gives "lgvi", the first with lgvi-i.json "lgvi-i". */
  async #attribution(): Promise<{ packs: { dir: string; source: 'added' | 'found'; provides: string[]; usable: boolean }[] }> {
    await this.#load();
    const taken = new Set<string>();
    const packs = (await this.folders()).map((f) => {
      const provides: string[] = [];
      const usable = this.#verdicts.get(f.dir)?.state !== 'failed';
      if (usable) {
        for (const id of ['lgvi', ...(hasInteractivePart(f.dir) ? ['lgvi-i'] : [])]) {
          if (!taken.has(id)) provides.push(id);
          taken.add(id);
        }
      }
      return { ...f, provides, usable };
    });
    return { packs };
  }

  async #describe(dir: string, source: 'added' | 'found', engines: string[]): Promise<ModelPackDto> {
    let meta: { id: string | null; name: string | null; version: string | null } = { id: null, name: null, version: null };
    try {
      const parsed = checkManifestText((await readPackDir(dir)).manifestText);
      if (parsed.ok) meta = { id: parsed.manifest.id, name: parsed.manifest.name, version: parsed.manifest.version };
    } catch {
      // Gone or unreadable: verification says why.
    }
    return { dir, source, ...meta, engines, verification: this.#verdicts.get(dir) ?? { state: 'unverified' } };
  }
}

async function manifestSha(dir: string): Promise<string | null> {
  try {
    return createHash('sha256').update((await readPackDir(dir)).manifestText).digest('hex');
  } catch {
    return null;
  }
}

/** Engines grouped by id, in the order each id first appears (the pack order within an id kept). */
function byIdInOrder(engines: RemovalEngine[]): RemovalEngine[] {
  const ids = [...new Set(engines.map((e) => e.id))];
  return ids.flatMap((id) => engines.filter((e) => e.id === id));
}

import { access, constants, mkdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { EngineHandlers } from '../../api/contract';
import { DeliveryCodecSchema } from '../../api/schemas/jobs';
import type { SettingsViewDto } from '../../api/schemas/settings';
import { TAKE_EXTENSION } from '../jobs/kinds/removal';
import { CODEC_PROFILES } from '../media/deliveryCodecs';
import { LacunaError } from '../util/errors';
import { applySettingsPatch, type AppSettingsStore } from './appSettings';
import type { JobsController } from './jobsController';
import type { ModelPacks } from './modelPacks';

export interface SettingsHandlersDeps {
  settings: AppSettingsStore;
  packs: ModelPacks;
  jobs: JobsController;
  dataDir: string;
}

type SettingsCalls = 'settings.get' | 'settings.update' | 'models.list' | 'models.add' | 'models.remove' | 'models.verify';

/** A renders folder the user typed: absolute, created if missing, and writable, or a refusal saying which. */
async function checkedRendersDir(dir: string): Promise<string> {
  if (!isAbsolute(dir)) throw new LacunaError('BAD_ARGUMENT', `the renders folder must be a full path (${dir} is relative)`, 'Give the whole path, for example /Users/me/Renders.');
  const abs = resolve(dir);
  const info = await stat(abs).catch(() => null);
  if (info && !info.isDirectory()) throw new LacunaError('BAD_ARGUMENT', `${abs} is a file, not a folder`, 'Choose a folder for the renders.');
  try {
    await mkdir(abs, { recursive: true });
    await access(abs, constants.W_OK);
  } catch (e) {
    throw new LacunaError('CANNOT_WRITE', `Lacuna cannot write renders to ${abs}: ${(e as Error).message}`, 'Choose a folder you can write to.');
  }
  return abs;
}

/**
 * The Settings dialog's calls. A change that affects the installed engines (a pack added,
 * removed or found broken; the execution provider) gives the job queue the new engines at once,
 * so jobs.kinds and the Remove dialog offer them without a restart.
 */
export function settingsHandlers(d: SettingsHandlersDeps): Pick<EngineHandlers, SettingsCalls> {
  const view = (): SettingsViewDto => ({
    settings: d.settings.current,
    file: d.settings.file,
    warning: d.settings.warning,
    effectiveRendersDir: d.settings.current.rendersDir ?? join(d.dataDir, 'renders'),
    codecs: DeliveryCodecSchema.options.map((value) => ({ value, label: `${CODEC_PROFILES[value].label} (${TAKE_EXTENSION[value]})` })),
  });
  const refreshEngines = async () => d.jobs.setEngines(await d.packs.engines());
  const models = async () => {
    await refreshEngines();
    return d.packs.list();
  };
  return {
    'settings.get': async () => {
      await d.settings.read();
      return view();
    },
    'settings.update': async (patch) => {
      if (patch.defaultEngine && !d.jobs.engines.some((e) => e.id === patch.defaultEngine)) {
        throw new LacunaError(
          'UNSUPPORTED',
          `the removal engine "${patch.defaultEngine}" is not installed`,
          `Installed: ${d.jobs.engines.map((e) => e.id).join(', ')}. Add its model pack first.`,
        );
      }
      const rendersDir = patch.rendersDir ? await checkedRendersDir(patch.rendersDir) : patch.rendersDir;
      await d.settings.update((s) => applySettingsPatch(s, { ...patch, ...(rendersDir !== undefined && { rendersDir }) }));
      if (patch.providers) await refreshEngines();
      return view();
    },
    'models.list': () => models(),
    'models.add': async ({ dir }) => {
      await d.packs.add(dir);
      return models();
    },
    'models.remove': async ({ dir }) => {
      await d.packs.remove(dir);
      return models();
    },
    'models.verify': async ({ dir }) => {
      const abs = resolve(dir);
      if (!(await d.packs.folders()).some((f) => f.dir === abs)) {
        throw new LacunaError('NOT_FOUND', `${abs} is not in the list of model packs`, 'Add the folder first.');
      }
      await d.packs.verify(abs);
      return models();
    },
  };
}

// What the memory plan will do for a job on this machine, said before the job (the Remove
// dialog, through removal.plan): the provider and precision the pack would load with (the same
// choice loadPack makes: chooseProviders' first candidate, pickVariant's precision), that device's
// free memory (deviceMemory.ts), and applyMemoryPlan's decision on it — the very function the job
// runs before its first window, so the dialog cannot promise what the job will not do. The
// formula is memoryEstimate.ts's, nowhere else.
import type { PackManifest } from './manifest';
import { applyMemoryPlan, type PlannedSettings } from './applyMemoryPlan';
import { chooseProviders, currentProviderEnvironment, detectProviders, PROVIDER_TITLES, type ProviderEnvironment, type ProviderPreference } from './executionProviders';
import type { FreeMemory } from './deviceMemory';
import { formatMemory } from './memoryEstimate';
import { pickVariant, type PrecisionPreference } from './sessions';

export interface MemoryForecast {
  /** The provider's name as the app shows it ("CPU", "CUDA"). */
  readonly device: string;
  readonly precision: 'fp32' | 'fp16';
  /** Free bytes on that device, or null when it cannot be known there. */
  readonly freeBytes: number | null;
  /** One or two sentences: what the job will do with these settings on that device. */
  readonly decision: string;
  /** Whether the plan expects the window to fit (false: it may run out, and the fallbacks take over). */
  readonly fits: boolean;
}

export interface ForecastOptions {
  readonly providers?: ProviderPreference;
  readonly strictProvider?: boolean;
  readonly precision?: PrecisionPreference;
  readonly freeMemory: FreeMemory;
  readonly providerEnvironment?: ProviderEnvironment;
}

const gb = formatMemory;

const FALLBACK = 'If it still runs out of memory, the guidance passes run one at a time, and as a last resort the model moves to the CPU.';

/** `chosen`: which of the settings the user set (kept by the plan, only warned about). */
export async function forecastMemory(manifest: PackManifest, settings: PlannedSettings, chosen: { guidanceBatch: boolean; window: boolean }, options: ForecastOptions): Promise<MemoryForecast> {
  const environment = options.providerEnvironment ?? (await currentProviderEnvironment());
  const provider = chooseProviders(options.providers ?? 'auto', detectProviders(environment), options.strictProvider).candidates[0] ?? 'cpu';
  const precision = pickVariant(manifest.files.unet, provider, options.precision ?? 'auto').precision;
  const device = PROVIDER_TITLES[provider];
  const freeBytes = await options.freeMemory(provider).catch(() => null);
  if (freeBytes === null) {
    return { device, precision, freeBytes, fits: true, decision: `${device} does not say how much memory is free, so the job runs as set. ${FALLBACK}` };
  }
  const { settings: next, plan } = applyMemoryPlan(settings, chosen, manifest, precision, freeBytes);
  const on = `On ${device} (${precision}, ${gb(freeBytes)} free)`;
  const changes: string[] = [];
  if (next.guidanceBatch !== settings.guidanceBatch) changes.push('the guidance passes run one at a time');
  if (next.window !== settings.window) changes.push(`windows shrink to ${next.window} frames`);
  let decision: string;
  if (plan.guidanceBatch === 'together') decision = `${on}: it fits — ${settings.guidanceBatch === 'separate' ? 'even ' : ''}${plan.reason}.`;
  else if (changes.length) decision = `${on}: ${changes.join(' and ')}, because ${plan.reason}.`;
  else if (settings.guidanceBatch === 'together' && chosen.guidanceBatch) decision = `${on}: batched guidance was chosen and is kept, though ${plan.reason}.`;
  else decision = `${on}: ${plan.reason}.`;
  if (plan.overBudget) decision += ` ${FALLBACK}`;
  // Batched guidance kept by choice where the plan wanted separate passes does not fit either.
  const fits = !plan.overBudget && !(plan.guidanceBatch === 'separate' && next.guidanceBatch === 'together');
  return { device, precision, freeBytes, decision, fits };
}

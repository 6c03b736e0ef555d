// diffusers' scheduler_config.json, read as the pack carries it. One schema holds every field the
// four schedulers understand, with the types and ranges diffusers gives them, so a bad value fails
// here with its field named (MODEL_PACK_INVALID) instead of as a NaN fifty steps later. Fields
// diffusers knows but Lacuna does not implement (Karras sigmas, thresholding, ...) are refused by
// each scheduler with UNSUPPORTED; fields a scheduler does not use are ignored, with a note, as
// diffusers ignores them (a DDIM config may carry `skip_prk_steps` from PNDM, and so on).
import { z } from 'zod';
import { LacunaError } from '../../util/errors';

const probability = z.number().gt(0).lt(1);

/** Every field any supported scheduler reads; all optional, defaults are per scheduler (as in diffusers). */
export const SchedulerFieldsSchema = z.object({
  num_train_timesteps: z.int().min(1).max(100_000),
  beta_start: probability,
  beta_end: probability,
  beta_schedule: z.enum(['linear', 'scaled_linear', 'squaredcos_cap_v2']),
  trained_betas: z.array(z.number().gt(0).lte(1)).min(1).nullable(),
  rescale_betas_zero_snr: z.boolean(),
  prediction_type: z.enum(['epsilon', 'v_prediction', 'sample', 'flow_prediction']),
  steps_offset: z.int().min(0),
  timestep_spacing: z.enum(['leading', 'trailing', 'linspace']),
  // DDIM
  set_alpha_to_one: z.boolean(),
  clip_sample: z.boolean(),
  clip_sample_range: z.number().positive(),
  thresholding: z.boolean(),
  dynamic_thresholding_ratio: z.number().gt(0).lte(1),
  sample_max_value: z.number().positive(),
  // Euler family and DPM-Solver
  interpolation_type: z.enum(['linear', 'log_linear']),
  use_karras_sigmas: z.boolean().nullable(),
  use_exponential_sigmas: z.boolean().nullable(),
  use_beta_sigmas: z.boolean().nullable(),
  sigma_min: z.number().positive().nullable(),
  sigma_max: z.number().positive().nullable(),
  timestep_type: z.enum(['discrete', 'continuous']),
  final_sigmas_type: z.enum(['zero', 'sigma_min']),
  // DPM-Solver
  solver_order: z.int().min(1).max(3),
  algorithm_type: z.enum(['dpmsolver++', 'dpmsolver', 'sde-dpmsolver++', 'sde-dpmsolver', 'deis']),
  solver_type: z.enum(['midpoint', 'heun']),
  lower_order_final: z.boolean(),
  euler_at_final: z.boolean(),
  use_lu_lambdas: z.boolean(),
  use_flow_sigmas: z.boolean(),
  flow_shift: z.number().positive(),
  lambda_min_clipped: z.number(),
  variance_type: z.enum(['learned', 'learned_range']).nullable(),
  use_dynamic_shifting: z.boolean(),
  time_shift_type: z.string(),
  // PNDM (its config is run by DDIM; see createScheduler)
  skip_prk_steps: z.boolean(),
}).partial();

export type SchedulerFields = z.infer<typeof SchedulerFieldsSchema>;
export type SchedulerField = keyof SchedulerFields;

/** Fields of the noise schedule itself, shared by every scheduler (see ./betaSchedule). */
export const BETA_FIELDS = ['num_train_timesteps', 'beta_start', 'beta_end', 'beta_schedule', 'trained_betas', 'rescale_betas_zero_snr'] as const;

/** A config as one scheduler sees it: the validated fields it uses, and notes about the rest. */
export interface SchedulerConfigRead {
  readonly fields: SchedulerFields;
  readonly notes: readonly string[];
}

const FIELD_NAMES = new Set<string>(Object.keys(SchedulerFieldsSchema.shape));

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return ['scheduler', ...path.map(String)].join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

/**
 * Validates `raw` (the manifest's `scheduler` object) for the scheduler `className`, which reads
 * only `used`. Keys starting with "_" are diffusers' bookkeeping (`_class_name`,
 * `_diffusers_version`) and are passed over silently.
 */
export function readSchedulerConfig(raw: unknown, className: string, used: readonly SchedulerField[]): SchedulerConfigRead {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new LacunaError('MODEL_PACK_INVALID', 'scheduler: must be an object (diffusers scheduler_config.json)', 'Copy the checkpoint\'s scheduler/scheduler_config.json into the manifest\'s "scheduler" field.');
  }
  const parsed = SchedulerFieldsSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
    throw new LacunaError(
      'MODEL_PACK_INVALID',
      `the pack's scheduler config is invalid:\n  ${problems.join('\n  ')}`,
      "Fix these fields in manifest.json's \"scheduler\" (it should be the checkpoint's scheduler_config.json as diffusers wrote it).",
    );
  }
  const usedSet = new Set<string>(used);
  const notes: string[] = [];
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    if (key.startsWith('_')) continue;
    if (!FIELD_NAMES.has(key)) notes.push(`scheduler.${key} is not a field Lacuna knows; ignored`);
    else if (!usedSet.has(key)) notes.push(`scheduler.${key} is not used by ${className}; ignored`);
    else fields[key] = (parsed.data as Record<string, unknown>)[key];
  }
  return { fields: fields as SchedulerFields, notes };
}

/**
 * Refuses a setting diffusers accepts but Lacuna does not implement, naming the field, so a pack
 * asking for it fails clearly instead of sampling with a different algorithm than it asked for.
 */
export function unsupportedSetting(className: string, field: SchedulerField, value: unknown, instead: string): LacunaError {
  return new LacunaError(
    'UNSUPPORTED',
    `scheduler.${field} = ${JSON.stringify(value)} is not supported by Lacuna's ${className}`,
    `Set scheduler.${field} to ${instead} in the pack's manifest.json, or choose another scheduler.`,
  );
}

// The pack names its scheduler by diffusers class (`_class_name` in scheduler_config.json); this
// turns that config into a scheduler object, or says clearly which classes Lacuna runs.
//
// Stable Diffusion 1.x checkpoints often ship PNDMScheduler. Lacuna does not implement PNDM's
// pseudo-linear multistep; like most Stable Diffusion front ends it runs such a checkpoint with
// another sampler on the same trained noise schedule: DDIM, with PNDM's beta schedule, prediction
// type, spacing and steps_offset, set_alpha_to_one as PNDM has it, and no x0 clipping (PNDM never
// clips). The result is a valid sample of the same model, not PNDM's bit-for-bit; a note says so.
import { LacunaError } from '../../util/errors';
import { DDIMScheduler } from './ddim';
import { DPMSolverMultistepScheduler } from './dpmSolverMultistep';
import { EulerAncestralDiscreteScheduler } from './eulerAncestral';
import { EulerDiscreteScheduler } from './eulerDiscrete';
import { SCHEDULER_CLASS_NAMES, type Scheduler, type SchedulerClassName } from './scheduler';

const FACTORIES: Readonly<Record<SchedulerClassName, (raw: unknown, notes?: readonly string[]) => Scheduler>> = {
  DDIMScheduler: (raw, notes) => DDIMScheduler.fromConfig(raw, notes),
  EulerDiscreteScheduler: (raw, notes) => EulerDiscreteScheduler.fromConfig(raw, notes),
  EulerAncestralDiscreteScheduler: (raw, notes) => EulerAncestralDiscreteScheduler.fromConfig(raw, notes),
  DPMSolverMultistepScheduler: (raw, notes) => DPMSolverMultistepScheduler.fromConfig(raw, notes),
};

/** Classes whose configs run on a supported scheduler instead (see the file comment). */
const SUBSTITUTES = { PNDMScheduler: 'DDIMScheduler' } as const satisfies Record<string, SchedulerClassName>;

/** PNDM's fields as DDIM reads them: PNDM's own defaults where it leaves one out, and no clipping. */
function pndmAsDdim(config: Record<string, unknown>): Record<string, unknown> {
  // PNDM's skip_prk_steps picks between its two multistep variants; DDIM has neither.
  const { skip_prk_steps: _skip, ...rest } = config;
  return {
    ...rest,
    _class_name: 'DDIMScheduler',
    set_alpha_to_one: config.set_alpha_to_one ?? false,
    timestep_spacing: config.timestep_spacing ?? 'leading',
    clip_sample: false,
  };
}

function isSupported(name: string): name is SchedulerClassName {
  return (SCHEDULER_CLASS_NAMES as readonly string[]).includes(name);
}

/** A scheduler for a diffusers scheduler_config.json, keyed on its `_class_name`. */
export function createScheduler(raw: unknown): Scheduler {
  const config = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const name = config._class_name;
  if (typeof name !== 'string' || name === '') {
    throw new LacunaError(
      'MODEL_PACK_INVALID',
      'scheduler._class_name is missing: the scheduler config must name its diffusers class',
      `Copy the checkpoint's scheduler/scheduler_config.json into the manifest's "scheduler" field; it names one of ${SCHEDULER_CLASS_NAMES.join(', ')}.`,
    );
  }
  if (isSupported(name)) return FACTORIES[name](config);
  if (name === 'PNDMScheduler') {
    const substitute = SUBSTITUTES[name];
    const note = `${name} is not implemented; its config runs with ${substitute} on the same noise schedule (a valid sampler for the model, not PNDM's exact output)`;
    return FACTORIES[substitute](pndmAsDdim(config), [note]);
  }
  throw new LacunaError(
    'UNSUPPORTED',
    `scheduler class "${name}" is not supported`,
    `Lacuna runs ${SCHEDULER_CLASS_NAMES.join(', ')} (and runs PNDMScheduler configs with DDIMScheduler). Set the pack's scheduler._class_name to one of them; the noise-schedule fields can stay as they are.`,
  );
}

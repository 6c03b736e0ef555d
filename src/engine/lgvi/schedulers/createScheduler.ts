// The pack names its scheduler by diffusers class (`_class_name` in scheduler_config.json); this
// turns that config into a scheduler object, or says clearly which classes Lacuna runs.
//
// PNDMScheduler (PLMS, as Stable Diffusion 1.x checkpoints ship it) and LMSDiscreteScheduler are
// implemented exactly (./pndm.ts, ./lmsDiscrete.ts); nothing runs as another class.
import { LacunaError } from '../../util/errors';
import { DDIMScheduler } from './ddim';
import { DPMSolverMultistepScheduler } from './dpmSolverMultistep';
import { EulerAncestralDiscreteScheduler } from './eulerAncestral';
import { EulerDiscreteScheduler } from './eulerDiscrete';
import { LMSDiscreteScheduler } from './lmsDiscrete';
import { PNDMScheduler } from './pndm';
import { SCHEDULER_CLASS_NAMES, type Scheduler, type SchedulerClassName } from './scheduler';

const FACTORIES: Readonly<Record<SchedulerClassName, (raw: unknown, notes?: readonly string[]) => Scheduler>> = {
  DDIMScheduler: (raw, notes) => DDIMScheduler.fromConfig(raw, notes),
  EulerDiscreteScheduler: (raw, notes) => EulerDiscreteScheduler.fromConfig(raw, notes),
  EulerAncestralDiscreteScheduler: (raw, notes) => EulerAncestralDiscreteScheduler.fromConfig(raw, notes),
  DPMSolverMultistepScheduler: (raw, notes) => DPMSolverMultistepScheduler.fromConfig(raw, notes),
  PNDMScheduler: (raw, notes) => PNDMScheduler.fromConfig(raw, notes),
  LMSDiscreteScheduler: (raw, notes) => LMSDiscreteScheduler.fromConfig(raw, notes),
};

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
  throw new LacunaError(
    'UNSUPPORTED',
    `scheduler class "${name}" is not supported`,
    `Lacuna runs ${SCHEDULER_CLASS_NAMES.join(', ')}. Set the pack's scheduler._class_name to one of them; the noise-schedule fields can stay as they are.`,
  );
}

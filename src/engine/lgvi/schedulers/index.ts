// Diffusion schedulers configured by the pack's diffusers scheduler_config.json: what the sampler imports.
export { createScheduler } from './createScheduler';
export { SCHEDULER_CLASS_NAMES, type Scheduler, type SchedulerClassName, type StepOptions } from './scheduler';
export { DDIMScheduler, ddimConfig, type DDIMConfig } from './ddim';
export { EulerDiscreteScheduler, eulerDiscreteConfig } from './eulerDiscrete';
export { EulerAncestralDiscreteScheduler, eulerAncestralConfig } from './eulerAncestral';
export { DPMSolverMultistepScheduler, dpmSolverConfig, type DPMSolverConfig } from './dpmSolverMultistep';
export { PNDMScheduler, pndmConfig, type PNDMConfig } from './pndm';
export { LMSDiscreteScheduler, lmsDiscreteConfig, lagrangeBasisIntegral } from './lmsDiscrete';
export type { EulerFamilyConfig } from './eulerFamily';
export { alphasCumprod, betas, type BetaScheduleConfig } from './betaSchedule';
export type { PredictionType } from './prediction';
export type { TimestepSpacing } from './timestepSpacing';

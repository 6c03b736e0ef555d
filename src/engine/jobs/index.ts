/**
 * The job system: a queue of long jobs with progress, cancellation, a crash journal and result
 * placement. Job kinds (kinds/) plug in; the app's adapter is app/jobsController.ts.
 */
export { JobQueue, toJobError } from './jobQueue';
export type { CompletionOutcome, JobEvent, JobListener, JobQueueOptions, JobSubmission } from './jobQueue';
export { defineJobKind } from './jobKind';
export type { InterruptPolicy, JobCategory, JobContext, JobKind, JobResult, ResourceClass } from './jobKind';
export { FINISHED_STATES, JobRecordSchema } from './jobRecord';
export type { DeliveredResult, JobError, JobOutput, JobRecord, JobRecordState, JobTarget } from './jobRecord';
export { JOURNAL_FILE } from './journal';
export { JobTempFiles, jobTempDir } from './tempFiles';
export { placeOutput, safeFileNamePart } from './placeOutput';
export { ProgressEstimator } from './progressEstimator';
export { renderName, rendersDirFor } from './renderLocation';
export { writeTakeBack } from './takeWriteBack';

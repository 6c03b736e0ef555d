/**
 * The project model: the saved document's schema, the in-memory `Project` with undoable
 * edits, saving and opening files, content hashing and relinking. Everything outside this
 * folder imports from here.
 */
export * from './schema';
export { Project } from './project';
export type {
  ActiveSource,
  AddClipOptions,
  AddSequenceOptions,
  AddTakeOptions,
  ChangeCause,
  ClipLocation,
  CreateProjectOptions,
  MediaUse,
  MoveClipOptions,
  ProjectChange,
  ProjectListener,
  TrimClipOptions,
} from './project';
export type { HistoryState } from './history';
export { saveProject, loadProject, serializeProject, backupPathFor, removeStaleTempFiles, BACKUP_SUFFIX } from './store';
export type { SaveOptions, LoadOptions, LoadResult } from './store';
export { updateProject, type UpdateOptions, type UpdateResult } from './update';
export { withProjectLock, projectLockHolder, lockPathFor, type LockHolder, type ProjectLockOptions } from './projectLock';
export { findMissingMedia, isMediaOnline, relinkMedia, relinkAll } from './relink';
export type { MissingMedia, RelinkOptions, RelinkResult } from './relink';
export { quickHashFile, quickHashImageSequence, sameContentHash, QUICK_HASH_SAMPLE_BYTES } from './contentHash';
export { migrateToCurrent, MIGRATIONS } from './migrations';
export { checkInvariants } from './invariants';
export { parseProjectDoc } from './validate';
export { formatPath, formatProblem, type Problem } from './problems';
export { mediaRate, mediaFrameCount, clipDuration, clipEnd, convertFrames } from './timing';
export { takeCoverage } from './invariants';
export { nextTakeNumber, takeNumberTaken } from './takeNumber';
export { frameFileName, expandFrameRuns, toFrameRuns } from './imageSequence';

export { FarmClient, resourceFor, newTakeId, type FarmTakeStatus, type FarmTakeState, type FarmWorkerStatus, type FarmChunkStatus } from './farmClient';
export { startFarmWorker, failureText, type FarmWorker, type FarmWorkerOptions, type WorkerLogEvent } from './farmWorker';
export { collectFarmTakes, type CollectOutcome } from './farmCollect';
export { farmEngineOf, farmRemovalTake, submitFarmRemoval, type FarmRemovalRequest } from './farmSubmit';
export { PathMap, parsePathMapEntry, type PathMapEntry } from './pathMap';
export { redisOptions, safeRedisUrl, type FarmRedisConfig } from './redisConnection';
export { defaultWorkerName } from './workerName';
export type { ResourceClass } from './queues';

import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { clipSourceParams } from '../jobs/clipJob';
import { RemovalParamsSchema, type RemovalTargetParams } from '../jobs/kinds/removal';
import { renderName, rendersDirFor } from '../jobs/renderLocation';
import { readPackIdentity, type PackIdentity } from '../lgvi/pack/packIdentity';
import type { DeliveryCodec } from '../media/types';
import { nextTakeNumber, type Project } from '../project';
import type { RemovalEngine, RemovalSettings } from '../removal/removalEngine';
import { LacunaError } from '../util/errors';
import { newTakeId, resourceFor, type FarmClient, type SubmitOptions } from './farmClient';
import type { FarmTakeJob } from './payloads';

/**
 * Builds a farm take for a clip of a saved project, the way a local job is built (the clip's
 * active take over its range, self-contained), with its render going to the project's Renders
 * folder: on shared storage when the project is, which is what every worker must see.
 */

export interface FarmRemovalRequest {
  clipId: string;
  engine: string;
  /** The model pack the engine runs (LGVI), by identity: the workers keep it at other paths. */
  modelPack?: PackIdentity;
  target: RemovalTargetParams;
  codec: DeliveryCodec;
  settings: RemovalSettings;
  writeMatte: boolean;
  /** What the render is, for its file name and label ("remove the left bird"). */
  what: string;
  chunkWindows?: number;
}

const EXTENSION = { h264: '.mp4', hevc: '.mp4', prores_hq: '.mov', dnxhr_hq: '.mov' } as const;

function submitter(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No user database entry (containers): keep "unknown".
  }
  return `${user}@${hostname()}`;
}

/** The engine of a farm request, with the identity of its model pack when it runs one (read from the pack here). */
export async function farmEngineOf(engine: Pick<RemovalEngine, 'id' | 'packDir'>): Promise<Pick<FarmRemovalRequest, 'engine' | 'modelPack'>> {
  return { engine: engine.id, ...(engine.packDir && { modelPack: await readPackIdentity(engine.packDir) }) };
}

export function farmRemovalTake(project: Project, request: FarmRemovalRequest, dataDir: string, takeId = newTakeId()): FarmTakeJob {
  if (!project.path) throw new LacunaError('BAD_ARGUMENT', 'save the project before sending a clip to the farm', "Its renders go to the Renders folder beside it, which the farm's workers must see.");
  const source = clipSourceParams(project, request.clipId);
  const clip = project.getClip(request.clipId);
  const dir = rendersDirFor({ path: project.path, name: project.doc.name }, dataDir);
  const name = `${renderName(clip.name, request.what, nextTakeNumber(clip.takes))} (farm ${takeId.slice(-6)})`;
  const params = RemovalParamsSchema.parse({ ...source, target: request.target, codec: request.codec, settings: request.settings, writeMatte: request.writeMatte });
  return {
    v: 1,
    kind: 'remove',
    takeId,
    engine: request.engine,
    ...(request.modelPack && { modelPack: request.modelPack }),
    label: `${request.what} · ${clip.name} (${request.engine})`.slice(0, 300),
    params,
    output: {
      file: join(dir, `${name}${EXTENSION[request.codec]}`),
      ...(request.writeMatte && { matteFile: join(dir, `${name} matte.mov`) }),
      scratchDir: join(dir, '.farm', takeId),
    },
    target: { projectId: project.doc.id, projectPath: project.path, clipId: clip.id },
    submittedBy: submitter(),
    chunkWindows: request.chunkWindows ?? 2,
  };
}

/** Queues a removal of a clip of `project` on the farm. */
export async function submitFarmRemoval(client: FarmClient, project: Project, request: FarmRemovalRequest, dataDir: string, options: Omit<SubmitOptions, 'resource'> = {}): Promise<FarmTakeJob> {
  const take = farmRemovalTake(project, request, dataDir);
  return client.submit(take, { ...options, resource: resourceFor('remove', request.engine) });
}

import { packIdentityText, readPackIdentity, type PackIdentity } from '../lgvi/pack/packIdentity';
import type { RemovalEngine } from '../removal/removalEngine';
import { LacunaError } from '../util/errors';
import type { FarmRemovalTake } from './payloads';

/**
 * Which of a worker's engines renders a removal take: one with the take's engine id and, when the
 * take names a model pack, the one running that very pack. Packs are matched by identity (manifest
 * id and hash), never by path: each machine keeps its packs where it likes, and a pack with the
 * same id but another manifest holds other weights, so it would render something else.
 */
export async function engineForTake(engines: readonly RemovalEngine[], take: Pick<FarmRemovalTake, 'engine' | 'modelPack'>, worker: string): Promise<RemovalEngine> {
  const candidates = engines.filter((e) => e.id === take.engine);
  if (!candidates.length) throw new LacunaError('UNSUPPORTED', `the ${take.engine} engine is not installed on worker ${worker}`);
  const wanted = take.modelPack;
  // Lite takes, and takes queued before they named their pack: any pack of the engine will do.
  if (!wanted) return candidates[0]!;
  const installed = await Promise.all(candidates.map(async (engine) => ({ engine, pack: await packOf(engine) })));
  const match = installed.find(({ pack }) => pack?.id === wanted.id && pack.sha256 === wanted.sha256);
  if (match) return match.engine;
  const others = installed.flatMap(({ pack }) => (pack ? [packIdentityText(pack)] : []));
  throw new LacunaError(
    'UNSUPPORTED',
    `worker ${worker} does not have the model pack ${packIdentityText(wanted)} this ${take.engine} take was sent with${others.length ? ` (it has ${others.join(', ')})` : ''}`,
    `Start a worker with that pack (lacuna worker --gpu --pack DIR), or send the take with the Lite engine.`,
  );
}

/** The identity of the pack an engine runs; null for an engine without one, or a pack whose manifest cannot be read (it cannot render either). */
async function packOf(engine: RemovalEngine): Promise<PackIdentity | null> {
  return engine.packDir ? readPackIdentity(engine.packDir).catch(() => null) : null;
}

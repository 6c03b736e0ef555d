import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderPreference } from '../lgvi/pack/executionProviders';
import { createLgviEngine } from '../lgvi/lgviEngine';
import { LGVI_I_MANIFEST } from '../lgviI/manifest';
import { createLiteEngine } from '../lite/liteEngine';
import type { RemovalEngine } from './removalEngine';

/**
 * The removal engines this install can run, preferred first: LGVI for each model pack found (when
 * one is installed it is the better engine), then Lite, which is always there (its detector ships
 * in an npm package, so a fresh install removes objects with no download).
 */
export interface EngineDiscovery {
  /** LGVI model pack folders (each with a manifest.json). */
  packDirs?: readonly string[];
}

export function installedRemovalEngines(discovery: EngineDiscovery = {}): RemovalEngine[] {
  return [...packRemovalEngines(discovery.packDirs ?? []), createLiteEngine()];
}

/** The engines model packs provide: LGVI for each, and LGVI-I for each with the interactive part. */
export function packRemovalEngines(packs: readonly string[], options: { providers?: ProviderPreference } = {}): RemovalEngine[] {
  const { providers } = options;
  // A pack with the interactive part (lgvi-i.json) also offers LGVI-I, for chat requests.
  const interactive = packs.filter(hasInteractivePart).map((packDir) => createLgviEngine({ packDir, interactive: true, providers }));
  return [...packs.map((packDir) => createLgviEngine({ packDir, providers })), ...interactive];
}

/** Whether a pack also has LGVI-I's interactive part (lgvi-i.json). */
export function hasInteractivePart(packDir: string): boolean {
  return existsSync(join(packDir, LGVI_I_MANIFEST));
}

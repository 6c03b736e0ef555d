import { createLgviEngine } from '../lgvi/lgviEngine';
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
  return [...(discovery.packDirs ?? []).map((packDir) => createLgviEngine({ packDir })), createLiteEngine()];
}

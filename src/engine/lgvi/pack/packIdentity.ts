// A model pack's identity: its manifest's id and the SHA-256 of its manifest.json. The manifest
// lists every model file with its own SHA-256, so its hash names the exact weights; that is what a
// take records (TakeParams.modelPack) and what a render farm matches packs by, since each machine
// keeps its packs at its own paths.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PackManifestSchema, Sha256Schema } from './manifest';
import { readPackDir } from './packDir';
import { parseManifest } from './parseManifest';

export const PackIdentitySchema = z.strictObject({
  id: PackManifestSchema.shape.id,
  sha256: Sha256Schema,
});
export type PackIdentity = z.infer<typeof PackIdentitySchema>;

/** SHA-256 of a manifest.json as it is on disk (its bytes, or its text as UTF-8), lowercase hex. */
export function manifestSha256(manifest: string | Uint8Array): string {
  return createHash('sha256').update(manifest).digest('hex');
}

/** The identity of the pack in `dir`; MODEL_PACK_NOT_FOUND or MODEL_PACK_INVALID when it has no readable, valid manifest. */
export async function readPackIdentity(dir: string): Promise<PackIdentity> {
  const { dir: abs, manifestText } = await readPackDir(dir);
  return { id: parseManifest(manifestText, abs).id, sha256: manifestSha256(manifestText) };
}

/** How a pack is named in messages: its id and the first 12 hex digits of its manifest's SHA-256. */
export function packIdentityText(pack: PackIdentity): string {
  return `${pack.id} (manifest sha256 ${pack.sha256.slice(0, 12)})`;
}

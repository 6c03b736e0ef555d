// Turns manifest.json's text into a checked PackManifest, or into problems that each name the
// field at fault ("manifest.json: files.unet.inputs[1].dtype: ..."), because whoever fixes a pack
// is editing that file by hand or fixing the export script that wrote it.
import type { z } from 'zod';
import { LacunaError } from '../../util/errors';
import { checkContract, type ContractProblem } from './contract';
import { MANIFEST_FILE, PACK_FORMAT_VERSION, PackManifestSchema, type PackManifest } from './manifest';

export type ManifestProblem = ContractProblem;

export type ManifestResult = { ok: true; manifest: PackManifest } | { ok: false; problems: ManifestProblem[] };

/** "files.unet.inputs[1].dtype" from zod's path array. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(top level)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean } {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return { found: false };
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return { found: true };
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): ManifestProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ field: fieldPath([...issue.path, key]), message: `unknown field "${key}"` }));
  }
  if (issue.code === 'invalid_type' && !valueAt(raw, issue.path).found) {
    return [{ field: fieldPath(issue.path), message: `required field is missing (${issue.expected})` }];
  }
  if (issue.code === 'invalid_union' && issue.path.length >= 2 && issue.path[issue.path.length - 2] === 'shape') {
    return [{ field: fieldPath(issue.path), message: 'must be a positive integer or one of B, T, H, W, h, w' }];
  }
  return [{ field: fieldPath(issue.path), message: issue.message }];
}

/** Line and column of a character offset, for JSON syntax errors a person can jump to. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** Parses and checks a manifest's text: JSON syntax, then structure, then the LGVI contract. */
export function checkManifestText(text: string): ManifestResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    const where = at ? ` at ${lineAndColumn(text, Number(at[1]))}` : '';
    return { ok: false, problems: [{ field: '(syntax)', message: `not valid JSON${where}: ${message}` }] };
  }
  // Checked before the structure, so a pack from a newer Lacuna gets "update Lacuna", not a list
  // of fields this build has never heard of.
  if (raw && typeof raw === 'object' && 'formatVersion' in raw) {
    const v = (raw as { formatVersion: unknown }).formatVersion;
    if (typeof v === 'number' && v > PACK_FORMAT_VERSION) {
      return {
        ok: false,
        problems: [{ field: 'formatVersion', message: `is ${v}; this Lacuna reads model packs up to format version ${PACK_FORMAT_VERSION}. Update Lacuna.` }],
      };
    }
  }
  const parsed = PackManifestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.flatMap((i) => describeIssue(i, raw)) };
  const problems = checkContract(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, manifest: parsed.data };
}

export function formatProblems(file: string, problems: readonly ManifestProblem[], limit = 12): string {
  const lines = problems.slice(0, limit).map((p) => `  ${file}: ${p.field}: ${p.message}`);
  if (problems.length > limit) lines.push(`  ... and ${problems.length - limit} more`);
  return lines.join('\n');
}

/** As checkManifestText, throwing MODEL_PACK_INVALID that lists the problems. */
export function parseManifest(text: string, packDir: string): PackManifest {
  const result = checkManifestText(text);
  if (result.ok) return result.manifest;
  throw new LacunaError(
    'MODEL_PACK_INVALID',
    `model pack ${packDir} has an invalid ${MANIFEST_FILE}:\n${formatProblems(MANIFEST_FILE, result.problems)}`,
    'Fix the manifest (models/README.md describes every field) or re-download the pack.',
  );
}

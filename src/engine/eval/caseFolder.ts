import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { LacunaError } from '../util/errors';

/**
 * A folder of evaluation cases, laid out as ROVI (the LGVI paper's dataset) is:
 *   <root>/JPEGImages/<case>/…     the source frames (not needed to score)
 *   <root>/Annotations/<case>/…    the object masks, one image per frame
 *   <root>/Inpainted/<case>/…      the inpainted ground truth
 *   <root>/meta_expressions.json   the referring expressions: { videos: { <case>: { expressions: { "0": { exp } } } } }
 * and results as <results>/<case>/ (frames) or <results>/<case>.<ext> (a video). A plainer layout
 * also works: <root>/<case> is the ground truth and masks come from `--mask <folder>/<case>`.
 * Each name may be a folder of frames or a video file; its name without extension is the case.
 */
export interface EvalCase {
  name: string;
  result: string;
  truth: string;
  mask: string | null;
  /** The case's referring expressions, when the folder lists them. */
  expressions: string[];
}

const TRUTH_DIRS = ['Inpainted', 'inpainted', 'GT', 'gt', 'ground_truth', 'truth'];
const MASK_DIRS = ['Annotations', 'annotations', 'masks', 'Masks'];

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Case name → path, for the folders and video files directly inside `dir`. */
async function entries(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const name = e.isDirectory() ? e.name : basename(e.name, extname(e.name));
    if (!e.isDirectory() && !e.isFile()) continue;
    if (!out.has(name) || e.isDirectory()) out.set(name, join(dir, e.name));
  }
  return out;
}

async function firstDir(root: string, names: string[]): Promise<string | null> {
  for (const n of names) if (await isDir(join(root, n))) return join(root, n);
  return null;
}

async function expressionsOf(root: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  let text: string;
  try {
    text = await readFile(join(root, 'meta_expressions.json'), 'utf8');
  } catch {
    return out;
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch {
    throw new LacunaError('BAD_ARGUMENT', `${join(root, 'meta_expressions.json')} is not valid JSON`);
  }
  const videos = (meta as { videos?: Record<string, { expressions?: Record<string, { exp?: string }> }> }).videos ?? {};
  for (const [name, v] of Object.entries(videos)) out.set(name, Object.values(v.expressions ?? {}).map((e) => e.exp ?? '').filter(Boolean));
  return out;
}

/** True when `truth` is a folder of cases rather than one clip's frames. */
export async function isCaseFolder(truth: string): Promise<boolean> {
  if (!(await isDir(truth))) return false;
  if (await firstDir(truth, TRUTH_DIRS)) return true;
  // A plain case folder holds sub-folders or videos, and no images of its own.
  const items = await readdir(truth, { withFileTypes: true });
  const images = items.filter((e) => e.isFile() && /\.(png|jpe?g|tiff?|exr|bmp|webp|dpx)$/i.test(e.name));
  return images.length === 0 && items.some((e) => e.isDirectory() || /\.(mov|mp4|mkv|avi|mxf|webm)$/i.test(e.name));
}

export async function findCases(results: string, truth: string, masks: string | null): Promise<EvalCase[]> {
  if (!(await isDir(results))) throw new LacunaError('BAD_ARGUMENT', `${results} is not a folder, but ${truth} is a folder of cases`, 'Give a folder with one result per case (a folder of frames or a video named after the case).');
  const truthDir = (await firstDir(truth, TRUTH_DIRS)) ?? truth;
  const maskDir = masks ?? (await firstDir(truth, MASK_DIRS));
  const [got, want, mattes, expressions] = await Promise.all([entries(results), entries(truthDir), maskDir ? entries(maskDir) : Promise.resolve(new Map<string, string>()), expressionsOf(truth)]);
  for (const d of ['JPEGImages', ...MASK_DIRS]) want.delete(d);
  const cases: EvalCase[] = [];
  const missing: string[] = [];
  for (const [name, path] of [...want].sort(([a], [b]) => a.localeCompare(b))) {
    const result = got.get(name);
    if (!result) {
      missing.push(name);
      continue;
    }
    cases.push({ name, result, truth: path, mask: mattes.get(name) ?? null, expressions: expressions.get(name) ?? [] });
  }
  if (cases.length === 0) {
    throw new LacunaError('BAD_ARGUMENT', `no case of ${truthDir} has a result in ${results}`, `Name each result after its case (${[...want.keys()].slice(0, 3).join(', ')}…).`);
  }
  if (missing.length) throw new LacunaError('BAD_ARGUMENT', `no result for ${missing.length} case(s): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`, `Put each case's result in ${results} under the case's name.`);
  return cases;
}

import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Probe } from '../app/mediaImport';
import type { Project } from '../project';
import { LacunaError } from '../util/errors';
import type { Rational } from '../util/rational';
import { readEdl } from './edl';
import { readFcp7Xml } from './fcp7xml';
import { readFcpxml } from './fcpxml';
import { PathReader, type PathMapEntry } from './mediaPaths';
import { resolveMedia } from './mediaResolver';
import { IMPORT_FORMATS, timelineMedia, type ImportFormat, type IxNote, type IxParsed } from './model';
import { readOtio } from './otio';
import { readOtioz } from './otioz';
import { timelineToProject } from './timelineToProject';

/**
 * Import of an NLE's timeline into a Lacuna project: read the file (its format by extension, and
 * for `.xml` by its root element), find and probe its media (mediaResolver.ts), and add it as a
 * new sequence in one undo step. The report lists everything that could not come in, and why.
 */

export interface ReadOptions {
  format?: ImportFormat;
  /** EDL frame rate (EDLs do not say theirs). */
  fps?: Rational;
  pathMap?: readonly PathMapEntry[];
  /** Where a .otioz's media is unpacked; default a folder beside it named after it. */
  extractTo?: string;
}

export interface ImportOptions extends ReadOptions {
  probe: Probe;
  search?: readonly string[];
  /** Name for the new sequence; default the timeline's. */
  name?: string;
}

export interface ImportReport {
  format: ImportFormat;
  files: string[];
  sequence: { id: string; name: string };
  clips: number;
  media: { found: number; missing: string[] };
  notes: IxNote[];
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LacunaError(code === 'ENOENT' ? 'NOT_FOUND' : 'BAD_ARGUMENT', code === 'ENOENT' ? `no file at ${file}` : `cannot read ${file}: ${(e as Error).message}`);
  }
}

/** The format of `file`: by extension; `.xml` by whether it holds <xmeml> or <fcpxml>. */
export async function detectFormat(file: string): Promise<ImportFormat> {
  const ext = extname(file).toLowerCase();
  if (ext === '.otio') return 'otio';
  if (ext === '.otioz') return 'otioz';
  if (ext === '.edl') return 'edl';
  if (ext === '.fcpxml' || ext === '.fcpxmld') return 'fcpxml';
  if (ext === '.xml') return /<fcpxml[\s>]/.test((await readText(file)).slice(0, 4096)) ? 'fcpxml' : 'xml';
  throw new LacunaError('BAD_ARGUMENT', `cannot tell the format of ${basename(file)}`, `Import .otio, .otioz, .xml (FCP7), .fcpxml or .edl, or give the format (one of ${IMPORT_FORMATS.join(', ')}).`);
}

/** Reads the file(s) into the interchange timeline. Several files only for EDLs (one video track each). */
export async function readTimelineFiles(files: readonly string[], options: ReadOptions = {}): Promise<IxParsed & { format: ImportFormat }> {
  if (!files.length) throw new LacunaError('BAD_ARGUMENT', 'no file to import');
  const abs = files.map((f) => resolve(f));
  const format = options.format ?? (await detectFormat(abs[0]));
  if (abs.length > 1 && format !== 'edl') throw new LacunaError('BAD_ARGUMENT', `only EDLs are imported several at a time (one per video track); got ${abs.length} ${format} files`);
  const dir = dirname(abs[0]);
  const reader = new PathReader(dir, options.pathMap);
  switch (format) {
    case 'otio':
      return { ...readOtio(await readText(abs[0]), dir, reader), format };
    case 'otioz': {
      const to = resolve(options.extractTo ?? join(dir, `${basename(abs[0], extname(abs[0]))} media`));
      const r = await readOtioz(abs[0], to, options.pathMap);
      return { timeline: r.timeline, notes: r.notes, format };
    }
    case 'xml':
      return { ...readFcp7Xml(await readText(abs[0]), dir, reader), format };
    case 'fcpxml': {
      let file = abs[0];
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'Info.fcpxml'); // an .fcpxmld bundle
      return { ...readFcpxml(await readText(file), dir, reader), format };
    }
    case 'edl': {
      const texts = await Promise.all(abs.map(async (f) => ({ name: basename(f), text: await readText(f) })));
      return { ...readEdl(texts, dir, { fps: options.fps }, reader), format };
    }
  }
}

/** Imports the file(s) into `project` as a new sequence (one undo step); saving is the caller's. */
export async function importTimeline(
  project: Project,
  files: readonly string[],
  options: ImportOptions,
  /** The files as readTimelineFiles read them, when the caller already has them. */
  read?: IxParsed & { format: ImportFormat },
): Promise<ImportReport> {
  const parsed = read ?? (await readTimelineFiles(files, options));
  const wanted = timelineMedia(parsed.timeline);
  const resolved = await resolveMedia(project, wanted, { fileDir: dirname(resolve(files[0])), search: options.search, probe: options.probe });
  const imported = timelineToProject(project, parsed.timeline, (m) => resolved.byPath.get(m.path) ?? null, options.name);
  const missing = wanted.filter((m) => !resolved.byPath.get(m.path)).map((m) => m.path);
  return {
    format: parsed.format,
    files: files.map((f) => resolve(f)),
    sequence: { id: imported.sequence.id, name: imported.sequence.name },
    clips: imported.clips,
    media: { found: wanted.length - missing.length, missing },
    notes: [...parsed.notes, ...resolved.notes, ...imported.notes],
  };
}

import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { FfmpegPaths } from '../media/ffmpegLocator';
import { guardOutput } from '../media/outputGuard';
import type { ProjectDoc } from '../project';
import { produceAtomically } from '../util/atomicWrite';
import { LacunaError } from '../util/errors';
import { writeEdl } from './edl';
import { writeFcp7Xml } from './fcp7xml';
import { FCPXML_VERSIONS, writeFcpxml, type FcpxmlVersion } from './fcpxml';
import { writeKdenlive } from './kdenlive';
import { PathWriter, type PathMapEntry } from './mediaPaths';
import { FORMATS, timelineMedia, type InterchangeFormat, type IxTimeline } from './model';
import { writeMlt } from './mlt';
import { writeOtio } from './otio';
import { writeOtioz } from './otioz';
import { originalsOnly, pickSequence, projectToTimeline } from './projectToTimeline';
import { renderTimelineMedia, type MatteChoice, type RenderChoice, type Rendered } from './renderMedia';

/**
 * Export of a project sequence to an NLE's format: the timeline (projectToTimeline.ts), optional
 * renders of its takes and mattes (renderMedia.ts), then the format's adapter; every file written
 * atomically (a temp file renamed into place), an existing file replaced only when asked, and
 * never a media file the timeline links to.
 */

export const EXTENSIONS: Record<InterchangeFormat, string> = {
  otio: '.otio',
  otioz: '.otioz',
  xml: '.xml',
  fcpxml: '.fcpxml',
  edl: '.edl',
  mlt: '.mlt',
  kdenlive: '.kdenlive',
};

export interface ExportOptions {
  format: InterchangeFormat;
  out: string;
  /** Files the export reads besides the timeline's media (the project file): never replaced, even with `overwrite`. */
  inputs?: readonly string[];
  /** Sequence id or name; default the first. */
  sequence?: string;
  /** What the clips link to: their active takes (default), or the original media as before any removal. */
  media?: 'takes' | 'originals';
  render?: RenderChoice;
  /** Include the takes' mattes: as they are (true), rendered gray in the render codec, or ProRes 4444 alpha. */
  matte?: boolean | MatteChoice;
  relative?: boolean;
  pathMap?: readonly PathMapEntry[];
  fcpxmlVersion?: FcpxmlVersion;
  /** .otioz: copy the media into the bundle. */
  bundleMedia?: boolean;
  /** EDL reels: one per file (default), or AX for every event (see edl.ts). */
  edlReels?: 'name' | 'ax';
  overwrite?: boolean;
  ffmpeg?: FfmpegPaths;
  signal?: AbortSignal;
  onProgress?: (what: string, done: number, total: number) => void;
}

export interface ExportResult {
  format: InterchangeFormat;
  files: string[];
  sequence: { id: string; name: string };
  clips: number;
  takes: number;
  rendered: Rendered[];
  /** EDL only: the reel each file was given. */
  reels?: Array<{ reel: string; file: string }>;
  warnings: string[];
}

export function formatFromPath(path: string): InterchangeFormat | null {
  const ext = extname(path).toLowerCase();
  return (Object.keys(EXTENSIONS) as InterchangeFormat[]).find((f) => EXTENSIONS[f] === ext) ?? null;
}

function withoutMattes(t: IxTimeline): IxTimeline {
  return { ...t, tracks: t.tracks.map((tr) => ({ ...tr, clips: tr.clips.map(({ matte: _, ...c }) => c) })) };
}

export async function exportTimeline(doc: ProjectDoc, options: ExportOptions): Promise<ExportResult> {
  if (!FORMATS.includes(options.format)) throw new LacunaError('BAD_ARGUMENT', `unknown format "${options.format}"`, `Use one of: ${FORMATS.join(', ')}.`);
  if (options.fcpxmlVersion && !FCPXML_VERSIONS.includes(options.fcpxmlVersion)) {
    throw new LacunaError('BAD_ARGUMENT', `FCPXML ${options.fcpxmlVersion} is not written`, `Use one of: ${FCPXML_VERSIONS.join(', ')}.`);
  }
  const out = resolve(options.out);
  const sequence = pickSequence(doc, options.sequence);
  let timeline = projectToTimeline(doc, sequence);
  if (options.media === 'originals') timeline = originalsOnly(timeline);
  if (!options.matte) timeline = withoutMattes(timeline);
  const warnings: string[] = [];
  const clips = timeline.tracks.reduce((n, t) => n + t.clips.length, 0);
  if (!clips) warnings.push(`sequence "${sequence.name}" is empty: the export has no clips`);
  const takes = timeline.tracks.reduce((n, t) => n + t.clips.filter((c) => c.take).length, 0);
  const sources = () => [...timelineMedia(timeline).map((m) => m.path), ...(options.inputs ?? [])].map((path) => ({ kind: 'file' as const, path }));
  // Refuse before rendering anything.
  if (options.format !== 'edl') await guardOutput(out, sources(), options.overwrite ?? false);
  const matteChoice = typeof options.matte === 'string' ? options.matte : undefined;
  if (matteChoice === 'gray' && !options.render) warnings.push('--matte gray renders mattes in the --render codec; without --render the mattes are linked as they are (grayscale already)');
  let rendered: Rendered[] = [];
  if (options.render || matteChoice === 'alpha') {
    const folder = join(dirname(out), `${basename(out, extname(out))} Media`);
    const r = await renderTimelineMedia(timeline, { render: options.render, matte: matteChoice, folder, overwrite: options.overwrite, ffmpeg: options.ffmpeg, signal: options.signal, onProgress: options.onProgress });
    timeline = r.timeline;
    rendered = r.rendered;
  }
  for (const m of timelineMedia(timeline)) {
    if (!m.video && !m.audio) continue;
    if (/%0?\d*d/.test(m.path) && options.format !== 'otio' && options.format !== 'otioz') {
      warnings.push(`${m.name} is an image sequence: ${options.format} links it as the pattern ${m.path}, which most NLEs cannot open; export with --render to link a movie`);
    }
  }
  const paths = new PathWriter(dirname(out), { relative: options.relative, pathMap: options.pathMap });
  const write = async (file: string, text: string) => {
    await produceAtomically(file, (tmp) => writeFile(tmp, text, { flag: 'wx' }));
    return file;
  };
  const files: string[] = [];
  let reels: ExportResult['reels'];
  switch (options.format) {
    case 'otio':
      files.push(await write(out, writeOtio(timeline, paths)));
      break;
    case 'otioz':
      await produceAtomically(out, (tmp) => writeOtioz(timeline, tmp, { relative: options.relative, pathMap: options.pathMap, bundleMedia: options.bundleMedia }));
      files.push(out);
      break;
    case 'xml':
      files.push(await write(out, writeFcp7Xml(timeline, paths)));
      break;
    case 'fcpxml':
      files.push(await write(out, writeFcpxml(timeline, paths, options.fcpxmlVersion)));
      break;
    case 'mlt':
      files.push(await write(out, writeMlt(timeline, paths)));
      break;
    case 'kdenlive':
      files.push(await write(out, writeKdenlive(timeline, paths, out)));
      break;
    case 'edl': {
      const r = writeEdl(timeline, paths, { reels: options.edlReels });
      warnings.push(...new Set(r.warnings));
      reels = r.reels;
      const stem = join(dirname(out), basename(out, extname(out)));
      const targets = r.files.map((f) => (r.files.length === 1 ? out : `${stem}_${f.track}${extname(out) || '.edl'}`));
      for (const t of targets) await guardOutput(t, sources(), options.overwrite ?? false);
      for (let i = 0; i < targets.length; i++) files.push(await write(targets[i], r.files[i].text));
      break;
    }
  }
  return { format: options.format, files, sequence: { id: sequence.id, name: sequence.name }, clips, takes, rendered, ...(reels?.length && { reels }), warnings };
}

import type { CallInput, CallOutput } from '../../../api/contract';
import { FCPXML_VERSIONS, TIMELINE_FORMATS } from '../../../api/schemas/interchange';
import type { ProjectDto } from '../../../api/schemas/project';

/*
 * File ▸ Export Timeline… as data: what the dialog holds, how a format change renames the
 * destination, and the timeline.export request it becomes. Pure, so the rules are unit-tested
 * without a browser (test/renderer/interchangeDraft.test.ts).
 */

export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];
export type FcpxmlVersion = (typeof FCPXML_VERSIONS)[number];

/** The formats in the order editors look for them, with who reads them. */
export const FORMAT_CHOICES: ReadonlyArray<{ format: TimelineFormat; label: string; extension: string; readers: string }> = [
  { format: 'otio', label: 'OpenTimelineIO (.otio)', extension: 'otio', readers: 'DaVinci Resolve 18.5+, OTIO tools; keeps originals and mattes as alternative media' },
  { format: 'otioz', label: 'OpenTimelineIO bundle (.otioz)', extension: 'otioz', readers: 'OTIO with its media in one zip file, to hand over' },
  { format: 'xml', label: 'FCP7 XML (.xml)', extension: 'xml', readers: 'Premiere Pro, DaVinci Resolve' },
  { format: 'fcpxml', label: 'FCPXML (.fcpxml)', extension: 'fcpxml', readers: 'Final Cut Pro, DaVinci Resolve' },
  { format: 'edl', label: 'CMX3600 EDL (.edl)', extension: 'edl', readers: 'Avid and every older tool; one file per video track' },
  { format: 'mlt', label: 'MLT XML (.mlt)', extension: 'mlt', readers: 'Shotcut, melt' },
  { format: 'kdenlive', label: 'Kdenlive project (.kdenlive)', extension: 'kdenlive', readers: 'Kdenlive' },
];

export interface ExportDraft {
  format: TimelineFormat;
  sequenceId: string;
  /** What the clips link to: the active takes (with originals beside them where the format can hold them), or the originals only. */
  media: 'takes' | 'originals';
  mattes: boolean;
  relative: boolean;
  fcpxmlVersion: FcpxmlVersion;
  /** .otioz: copy the media into the bundle. */
  bundleMedia: boolean;
  /** EDL reels: 8 characters from each file name, or AX for all (Premiere's style). */
  edlReels: 'name' | 'ax';
  /** Media paths rewritten for another machine: "from=to", one per line. */
  pathMap: string;
  path: string;
  overwrite: boolean;
}

export function extensionOf(format: TimelineFormat): string {
  return FORMAT_CHOICES.find((c) => c.format === format)!.extension;
}

const KNOWN = new Set(FORMAT_CHOICES.map((c) => `.${c.extension}`));

/** The destination with the format's extension: a known timeline extension is swapped, anything else gets it appended. */
export function withExtension(path: string, format: TimelineFormat): string {
  const trimmed = path.trim();
  if (!trimmed || /[\\/]$/.test(trimmed)) return trimmed;
  const want = `.${extensionOf(format)}`;
  const dot = trimmed.lastIndexOf('.');
  const slash = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  const ext = dot > slash ? trimmed.slice(dot).toLowerCase() : '';
  if (ext === want) return trimmed;
  if (KNOWN.has(ext)) return trimmed.slice(0, dot) + want;
  return trimmed + want;
}

/** The project file's folder, with its trailing separator ("" for an unsaved project). */
function folderOf(path: string | null): string {
  if (!path) return '';
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash >= 0 ? path.slice(0, slash + 1) : '';
}

/** A file name safe on every OS the timeline may travel to. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[<>:"/\\|?*\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return cleaned || 'Timeline';
}

export function initialExportDraft(project: ProjectDto, sequenceId: string | null): ExportDraft {
  const sequence = project.sequences.find((q) => q.id === sequenceId) ?? project.sequences[0];
  const format: TimelineFormat = 'otio';
  return {
    format,
    sequenceId: sequence?.id ?? '',
    media: 'takes',
    mattes: false,
    relative: false,
    fcpxmlVersion: '1.10',
    bundleMedia: false,
    edlReels: 'name',
    pathMap: '',
    path: folderOf(project.path) ? withExtension(folderOf(project.path) + safeFileName(sequence?.name ?? project.name), format) : '',
    overwrite: false,
  };
}

/** "from=to" lines (blank lines skipped) as a path map, or the first line that is not one. */
export function parsePathMap(text: string): { entries: Array<{ from: string; to: string }> } | { problem: string } {
  const entries: Array<{ from: string; to: string }> = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf('=');
    const from = line.slice(0, at).trim();
    const to = line.slice(at + 1).trim();
    if (at < 0 || !from || !to) return { problem: `“${line}” is not a path map line: write from=to, e.g. /Volumes/Media=/mnt/media.` };
    entries.push({ from, to });
  }
  return { entries };
}

/** The request the dialog sends, or why it cannot be sent yet (shown under the path). */
export function exportRequest(d: ExportDraft): { request: CallInput<'timeline.export'> } | { problem: string } {
  const path = d.path.trim();
  const map = parsePathMap(d.pathMap);
  if ('problem' in map) return map;
  if (!path) return { problem: 'Choose where to write the timeline.' };
  if (/[\\/]$/.test(path)) return { problem: 'The destination is a folder: add a file name.' };
  if (!d.sequenceId) return { problem: 'The project has no sequence to export.' };
  return {
    request: {
      format: d.format,
      path: withExtension(path, d.format),
      sequenceId: d.sequenceId,
      media: d.media,
      // Mattes belong to takes: exporting the originals carries none.
      matte: d.media === 'takes' && d.mattes,
      relative: d.relative,
      ...(map.entries.length && { pathMap: map.entries }),
      ...(d.format === 'edl' && { edlReels: d.edlReels }),
      ...(d.format === 'fcpxml' && { fcpxmlVersion: d.fcpxmlVersion }),
      ...(d.format === 'otioz' && { bundleMedia: d.bundleMedia }),
      overwrite: d.overwrite,
    },
  };
}

/** What the dialog says after an export: one headline, then the files written and any warnings. */
export function exportSummary(r: CallOutput<'timeline.export'>, fcpxmlVersion?: FcpxmlVersion): { headline: string; files: string[]; warnings: string[] } {
  const clips = `${r.clips} clip${r.clips === 1 ? '' : 's'}`;
  const takes = r.takes ? `, ${r.takes} with a removal take` : '';
  const format = r.format === 'fcpxml' && fcpxmlVersion ? `FCPXML ${fcpxmlVersion} (.fcpxml)` : (FORMAT_CHOICES.find((c) => c.format === r.format)?.label ?? r.format);
  return {
    headline: `Exported “${r.sequence.name}” (${clips}${takes}) as ${format}.`,
    files: [...r.files, ...r.rendered.map((x) => `${x.to} (rendered ${x.what})`)],
    warnings: r.warnings,
  };
}

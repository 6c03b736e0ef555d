import type { CallInput, CallOutput } from '../../../api/contract';
import type { RationalDto } from '../../../api/schemas/media';

/*
 * File ▸ Import Timeline… as data: typed paths (or the host's picker's) into a timeline.import
 * request, and the engine's report into what the dialog lists — what was matched, what is
 * missing, and what could not be carried over. Pure and unit-tested.
 */

export interface ImportDraft {
  /** One path per line; several EDLs (one per video track) become one sequence. */
  paths: string;
  /** EDLs only: an EDL does not say its frame rate. */
  fps: RationalDto;
  /** A folder searched for media not found at its path (by name and content hash); optional. */
  search: string;
  name: string;
}

export function pathLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export function isEdl(path: string): boolean {
  return /\.edl$/i.test(path.trim());
}

export function importRequest(d: ImportDraft): { request: CallInput<'timeline.import'> } | { problem: string } {
  const paths = pathLines(d.paths);
  if (!paths.length) return { problem: 'Give the timeline file to import.' };
  const edls = paths.filter(isEdl).length;
  if (edls && edls !== paths.length) return { problem: 'Several files come in together only as EDLs (one per video track).' };
  if (!edls && paths.length > 1) return { problem: 'Import one timeline file at a time (several files only for EDLs, one per track).' };
  const search = d.search.trim();
  const name = d.name.trim();
  return {
    request: {
      paths,
      ...(edls && { fps: d.fps }),
      ...(search && { search: [search] }),
      ...(name && { name }),
    },
  };
}

const NOTE_TITLES: Record<CallOutput<'timeline.import'>['notes'][number]['kind'], string> = {
  transition: 'Transitions',
  effect: 'Effects',
  speed: 'Speed changes',
  nested: 'Nested sequences',
  multicam: 'Multicam',
  marker: 'Markers',
  media: 'Media',
  overlap: 'Overlaps',
  timing: 'Timing',
  other: 'Other',
};

export interface ImportReportView {
  headline: string;
  matched: string;
  missing: string[];
  /** What was not carried over, grouped by kind, each note as "at: message". */
  groups: Array<{ title: string; items: string[] }>;
}

export function importReport(r: CallOutput<'timeline.import'>): ImportReportView {
  const total = r.media.found + r.media.missing.length;
  const groups = new Map<string, string[]>();
  for (const n of r.notes) {
    const title = NOTE_TITLES[n.kind];
    groups.set(title, [...(groups.get(title) ?? []), n.at ? `${n.at}: ${n.message}` : n.message]);
  }
  return {
    headline: `Imported “${r.sequence.name}”: ${r.clips} clip${r.clips === 1 ? '' : 's'} from ${r.files.length === 1 ? r.files[0] : `${r.files.length} files`}.`,
    matched: total === 0 ? 'The timeline links no media.' : `${r.media.found} of ${total} media file${total === 1 ? '' : 's'} found${r.media.missing.length ? '' : ' — all linked'}.`,
    missing: r.media.missing,
    groups: [...groups].map(([title, items]) => ({ title, items })),
  };
}

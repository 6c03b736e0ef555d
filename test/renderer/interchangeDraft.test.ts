import { describe, expect, it } from 'vitest';
import { TimelineExportRequestSchema, TimelineImportRequestSchema, TIMELINE_FORMATS } from '../../src/api/schemas/interchange';
import type { ProjectDto } from '../../src/api/schemas/project';
import { exportRequest, exportSummary, FORMAT_CHOICES, initialExportDraft, parsePathMap, safeFileName, withExtension, type ExportDraft } from '../../src/renderer/src/interchange/exportDraft';
import { importReport, importRequest } from '../../src/renderer/src/interchange/importDraft';

/* File ▸ Export/Import Timeline… as data: the dialog state into the API request (checked by the API's own schemas), and the reports into lines. */

const project = (path: string | null) =>
  ({ name: 'Birds', path, sequences: [{ id: 's1', name: 'Main: cut 3' }, { id: 's2', name: 'Alt' }] }) as unknown as ProjectDto;

const draft = (p: Partial<ExportDraft> = {}): ExportDraft => ({ ...initialExportDraft(project('/work/birds.lacuna'), null), ...p });

describe('export dialog', () => {
  it('offers every format the API takes, each with its extension', () => {
    expect(FORMAT_CHOICES.map((c) => c.format).sort()).toEqual([...TIMELINE_FORMATS].sort());
  });

  it('starts beside the project, named after the sequence, or empty for an unsaved project', () => {
    expect(initialExportDraft(project('/work/birds.lacuna'), 's2')).toMatchObject({ sequenceId: 's2', path: '/work/Alt.otio', media: 'takes', mattes: false });
    expect(initialExportDraft(project('C:\\Edits\\birds.lacuna'), null).path).toBe('C:\\Edits\\Main cut 3.otio');
    expect(initialExportDraft(project(null), null).path).toBe('');
    expect(safeFileName(' a/b:c ')).toBe('a b c');
    expect(safeFileName('???')).toBe('Timeline');
  });

  it('renames the destination when the format changes, and keeps other names whole', () => {
    expect(withExtension('/x/cut.otio', 'fcpxml')).toBe('/x/cut.fcpxml');
    expect(withExtension('/x/cut.XML', 'edl')).toBe('/x/cut.edl');
    expect(withExtension('/x/cut.v2', 'mlt')).toBe('/x/cut.v2.mlt');
    expect(withExtension('/x.y/cut', 'kdenlive')).toBe('/x.y/cut.kdenlive');
    expect(withExtension('/x/cut.kdenlive', 'kdenlive')).toBe('/x/cut.kdenlive');
    expect(withExtension('', 'otio')).toBe('');
    expect(withExtension('/x/', 'otio')).toBe('/x/');
  });

  it('builds a request the API accepts, with only the options of the chosen format', () => {
    const fcp = exportRequest(draft({ format: 'fcpxml', fcpxmlVersion: '1.9', path: '/x/cut.otio', mattes: true, relative: true }));
    expect('request' in fcp && fcp.request).toEqual({ format: 'fcpxml', path: '/x/cut.fcpxml', sequenceId: 's1', media: 'takes', matte: true, relative: true, fcpxmlVersion: '1.9', overwrite: false });
    const otioz = exportRequest(draft({ format: 'otioz', bundleMedia: true, path: '/x/b.otioz' }));
    expect('request' in otioz && otioz.request).toMatchObject({ bundleMedia: true });
    expect('request' in otioz && otioz.request).not.toHaveProperty('fcpxmlVersion');
    // The originals carry no mattes, whatever the box said before.
    const orig = exportRequest(draft({ media: 'originals', mattes: true }));
    expect('request' in orig && orig.request).toMatchObject({ media: 'originals', matte: false });
    for (const d of [fcp, otioz, orig]) expect(TimelineExportRequestSchema.safeParse('request' in d && d.request).success).toBe(true);
  });

  it('rewrites paths for another machine, and gives EDLs their reel style', () => {
    expect(parsePathMap(' /Volumes/Media = /mnt/media \n\nC:\\Shoot=D:\\Shoot')).toEqual({ entries: [{ from: '/Volumes/Media', to: '/mnt/media' }, { from: 'C:\\Shoot', to: 'D:\\Shoot' }] });
    expect(parsePathMap('/a/b')).toEqual({ problem: '“/a/b” is not a path map line: write from=to, e.g. /Volumes/Media=/mnt/media.' });
    expect(parsePathMap('=/x')).toHaveProperty('problem');
    const edl = exportRequest(draft({ format: 'edl', edlReels: 'ax', pathMap: '/work=/mnt/work', path: '/x/cut' }));
    expect('request' in edl && edl.request).toMatchObject({ path: '/x/cut.edl', edlReels: 'ax', pathMap: [{ from: '/work', to: '/mnt/work' }] });
    expect(TimelineExportRequestSchema.safeParse('request' in edl && edl.request).success).toBe(true);
    expect('request' in exportRequest(draft({ format: 'otio', edlReels: 'ax' })) && (exportRequest(draft({ edlReels: 'ax' })) as { request: object }).request).not.toHaveProperty('edlReels');
    expect(exportRequest(draft({ pathMap: 'nonsense' }))).toHaveProperty('problem');
  });

  it('says why it cannot export yet', () => {
    expect(exportRequest(draft({ path: '  ' }))).toEqual({ problem: 'Choose where to write the timeline.' });
    expect(exportRequest(draft({ path: '/x/' }))).toEqual({ problem: 'The destination is a folder: add a file name.' });
    expect(exportRequest(draft({ sequenceId: '' }))).toEqual({ problem: 'The project has no sequence to export.' });
  });

  it('sums up an export', () => {
    const s = exportSummary({ format: 'edl', files: ['/x/c_V1.edl', '/x/c_V2.edl'], sequence: { id: 's1', name: 'Main' }, clips: 3, takes: 1, rendered: [{ from: '/a.mov', to: '/x/c Media/a.mov', what: 'take' }], warnings: ['w'] });
    expect(s).toEqual({ headline: 'Exported “Main” (3 clips, 1 with a removal take) as CMX3600 EDL (.edl).', files: ['/x/c_V1.edl', '/x/c_V2.edl', '/x/c Media/a.mov (rendered take)'], warnings: ['w'] });
    expect(exportSummary({ format: 'fcpxml', files: ['/x/c.fcpxml'], sequence: { id: 's1', name: 'M' }, clips: 2, takes: 0, rendered: [], warnings: [] }, '1.9').headline).toBe('Exported “M” (2 clips) as FCPXML 1.9 (.fcpxml).');
    expect(exportSummary({ format: 'otio', files: ['/x/c.otio'], sequence: { id: 's1', name: 'M' }, clips: 1, takes: 0, rendered: [], warnings: [] }).headline).toBe('Exported “M” (1 clip) as OpenTimelineIO (.otio).');
  });
});

describe('import dialog', () => {
  const base = { paths: '', fps: { num: 25, den: 1 }, search: '', name: '' };

  it('sends one timeline, or several EDLs with their frame rate', () => {
    const one = importRequest({ ...base, paths: ' /x/cut.otio \n', name: ' From Resolve ' });
    expect('request' in one && one.request).toEqual({ paths: ['/x/cut.otio'], name: 'From Resolve' });
    const edls = importRequest({ ...base, paths: '/x/c_V1.edl\n/x/c_V2.EDL', fps: { num: 30000, den: 1001 }, search: '/media' });
    expect('request' in edls && edls.request).toEqual({ paths: ['/x/c_V1.edl', '/x/c_V2.EDL'], fps: { num: 30000, den: 1001 }, search: ['/media'] });
    for (const r of [one, edls]) expect(TimelineImportRequestSchema.safeParse('request' in r && r.request).success).toBe(true);
  });

  it('refuses what the engine would refuse, in words', () => {
    expect(importRequest(base)).toEqual({ problem: 'Give the timeline file to import.' });
    expect(importRequest({ ...base, paths: '/a.otio\n/b.otio' })).toEqual({ problem: 'Import one timeline file at a time (several files only for EDLs, one per track).' });
    expect(importRequest({ ...base, paths: '/a.edl\n/b.xml' })).toEqual({ problem: 'Several files come in together only as EDLs (one per video track).' });
  });

  it('reports what was matched, what is missing and what was not carried over, grouped', () => {
    const r = importReport({
      project: {} as ProjectDto,
      format: 'xml',
      files: ['/x/cut.xml'],
      sequence: { id: 's9', name: 'Cut' },
      clips: 4,
      media: { found: 2, missing: ['/Volumes/A/c.mov'] },
      notes: [
        { kind: 'transition', at: 'V1 00:00:04:00', message: 'cross dissolve (12 frames) became a cut' },
        { kind: 'speed', at: 'V1 clip "b"', message: '50% speed: played at 100%' },
        { kind: 'transition', at: '', message: 'wipe became a cut' },
      ],
    });
    expect(r).toEqual({
      headline: 'Imported “Cut”: 4 clips from /x/cut.xml.',
      matched: '2 of 3 media files found.',
      missing: ['/Volumes/A/c.mov'],
      groups: [
        { title: 'Transitions', items: ['V1 00:00:04:00: cross dissolve (12 frames) became a cut', 'wipe became a cut'] },
        { title: 'Speed changes', items: ['V1 clip "b": 50% speed: played at 100%'] },
      ],
    });
    const clean = importReport({ project: {} as ProjectDto, format: 'edl', files: ['/a', '/b'], sequence: { id: 's', name: 'E' }, clips: 1, media: { found: 1, missing: [] }, notes: [] });
    expect(clean).toMatchObject({ headline: 'Imported “E”: 1 clip from 2 files.', matched: '1 of 1 media file found — all linked.', groups: [] });
  });
});

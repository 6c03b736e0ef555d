import { useState } from 'react';
import type { CallOutput } from '../../../api/contract';
import { FCPXML_VERSIONS } from '../../../api/schemas/interchange';
import type { ProjectDto } from '../../../api/schemas/project';
import { useClient } from '../clientContext';
import { useCallState, type ShownError } from '../hooks/useCallState';
import { Modal } from '../shell/Modal';
import { exportRequest, exportSummary, extensionOf, FORMAT_CHOICES, initialExportDraft, safeFileName, withExtension, type ExportDraft, type FcpxmlVersion, type TimelineFormat } from './exportDraft';
import { ErrorNotice } from '../shell/ErrorNotice';
import { PathRow } from '../shell/PathRow';

/** Who reads which FCPXML version (Resolve 18.5 accepts 1.3–1.10; 19.1+ reads newer). */
const FCPXML_NOTES: Partial<Record<FcpxmlVersion, string>> = { '1.10': 'default: Final Cut 10.6, Resolve 18.5+', '1.11': 'Final Cut 10.7+, Resolve 19.1+' };

/** The engine's hint for an existing file names the CLI's flag; here the choice is the checkbox. */
function explainExportError(e: ShownError): ShownError {
  return e.code === 'OUTPUT_EXISTS' ? { message: e.message, hint: 'Tick “Replace an existing file”, or choose another name.' } : e;
}

/**
 * File ▸ Export Timeline…: a sequence out to an NLE (the same choices as `lacuna export`). The
 * destination comes from the host's save dialog where there is one (Electron), else it is typed
 * (the browser bridge). After the export the dialog says what was written and any warnings.
 */
export function ExportTimelineDialog({ project, sequenceId, nativeDialogs, onClose }: { project: ProjectDto; sequenceId: string | null; nativeDialogs: boolean; onClose: () => void }) {
  const client = useClient();
  const [d, setD] = useState<ExportDraft>(() => initialExportDraft(project, sequenceId));
  const { busy, error, setError, result: done, run, side } = useCallState<CallOutput<'timeline.export'>>(explainExportError);
  const set = (p: Partial<ExportDraft>) => {
    setD((x) => ({ ...x, ...p }));
    setError(null);
  };
  const choice = FORMAT_CHOICES.find((c) => c.format === d.format)!;
  const sequence = project.sequences.find((q) => q.id === d.sequenceId);
  const takes = sequence?.tracks.reduce((n, t) => n + t.clips.filter((c) => c.takes.find((k) => k.id === c.activeTakeId)?.kind !== 'original').length, 0) ?? 0;
  const ready = exportRequest(d);

  const browse = () =>
    side(
      () => client.call('dialog.saveTimeline', { suggestedName: safeFileName(sequence?.name ?? project.name), extension: extensionOf(d.format) }),
      (path) => path && set({ path }),
    );
  const submit = () => 'request' in ready && run(() => client.call('timeline.export', ready.request));

  if (done) {
    const s = exportSummary(done, d.fcpxmlVersion);
    return (
      <Modal title="Timeline exported" label="Export timeline" className="wide" onClose={onClose} footer={<button className="primary" onClick={onClose}>Done</button>}>
        <p data-testid="export-headline">{s.headline}</p>
        <ul className="file-list" aria-label="Files written">
          {s.files.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
        {s.warnings.length > 0 && (
          <div className="notice warn" role="status" data-testid="export-warnings">
            <strong>
              {s.warnings.length} warning{s.warnings.length === 1 ? '' : 's'}
            </strong>
            {s.warnings.map((w) => (
              <p key={w}>{w}</p>
            ))}
          </div>
        )}
      </Modal>
    );
  }

  return (
    <Modal
      title="Export timeline"
      className="wide"
      onClose={onClose}
      footer={
        <>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={busy || !('request' in ready)} onClick={() => void submit()}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
        </>
      }
    >
      <div className="field-row">
        <label className="field">
          <span>Format</span>
          <select aria-label="Format" value={d.format} onChange={(e) => set({ format: e.target.value as TimelineFormat, path: withExtension(d.path, e.target.value as TimelineFormat) })}>
            {FORMAT_CHOICES.map((c) => (
              <option key={c.format} value={c.format}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Sequence</span>
          <select aria-label="Sequence" value={d.sequenceId} onChange={(e) => set({ sequenceId: e.target.value })}>
            {project.sequences.map((q) => (
              <option key={q.id} value={q.id}>
                {q.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small-print format-readers" data-testid="format-readers">
        {choice.readers}
      </p>
      {d.format === 'fcpxml' && (
        <label className="field">
          <span>FCPXML version</span>
          <select aria-label="FCPXML version" value={d.fcpxmlVersion} onChange={(e) => set({ fcpxmlVersion: e.target.value as FcpxmlVersion })}>
            {FCPXML_VERSIONS.map((v) => (
              <option key={v} value={v}>
                {v}
                {FCPXML_NOTES[v] ? ` (${FCPXML_NOTES[v]})` : ''}
              </option>
            ))}
          </select>
        </label>
      )}
      <fieldset className="choice-group">
        <legend>Clips link to</legend>
        <label className="check">
          <input type="radio" name="media" checked={d.media === 'takes'} onChange={() => set({ media: 'takes' })} />
          Their active takes{takes ? ` (${takes} with a removal)` : ''}, originals kept beside them
        </label>
        <label className="check">
          <input type="radio" name="media" checked={d.media === 'originals'} onChange={() => set({ media: 'originals' })} />
          The original media (as before any removal)
        </label>
      </fieldset>
      <div className="check-row">
        <label className="check">
          <input type="checkbox" aria-label="Include mattes" checked={d.media === 'takes' && d.mattes} disabled={d.media === 'originals'} onChange={(e) => set({ mattes: e.target.checked })} />
          Include mattes
        </label>
        <label className="check">
          <input type="checkbox" aria-label="Relative paths" checked={d.relative} onChange={(e) => set({ relative: e.target.checked })} />
          Relative media paths
        </label>
        {d.format === 'otioz' && (
          <label className="check">
            <input type="checkbox" aria-label="Copy media into the bundle" checked={d.bundleMedia} onChange={(e) => set({ bundleMedia: e.target.checked })} />
            Copy media into the bundle
          </label>
        )}
      </div>
      {d.format === 'edl' && (
        <label className="field">
          <span>EDL reels</span>
          <select aria-label="EDL reels" value={d.edlReels} onChange={(e) => set({ edlReels: e.target.value as ExportDraft['edlReels'] })}>
            <option value="name">8 characters of each file name, listed in the header (Avid, Resolve)</option>
            <option value="ax">AX for every event, file name as the clip name (Premiere)</option>
          </select>
        </label>
      )}
      <label className="field">
        <span>Rewrite media paths for another machine (optional, one from=to per line)</span>
        <textarea aria-label="Path map" rows={1} value={d.pathMap} spellCheck={false} placeholder="/Volumes/Media=/mnt/media" onChange={(e) => set({ pathMap: e.target.value })} />
      </label>
      <label className="field">
        <span>Export to{d.format === 'edl' ? ' (several video tracks: one EDL each, name_V1.edl, name_V2.edl …)' : ''}</span>
        <PathRow onChoose={nativeDialogs ? () => void browse() : null}>
          <input aria-label="Export to" value={d.path} spellCheck={false} placeholder={`/path/to/timeline.${extensionOf(d.format)}`} onChange={(e) => set({ path: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && void submit()} />
        </PathRow>
      </label>
      <label className="check">
        <input type="checkbox" aria-label="Replace an existing file" checked={d.overwrite} onChange={(e) => set({ overwrite: e.target.checked })} />
        Replace an existing file (media is never replaced)
      </label>
      {'problem' in ready && (d.path.trim() !== '' || d.pathMap.trim() !== '') && <p className="warn-text small-print">{ready.problem}</p>}
      <ErrorNotice error={error} testId="export-error" />
    </Modal>
  );
}

import { useState } from 'react';
import type { CallOutput } from '../../../api/contract';
import { useClient } from '../clientContext';
import { useCallState } from '../hooks/useCallState';
import { FrameRateSelect } from '../settings/FrameRateSelect';
import { Modal } from '../shell/Modal';
import { importReport, importRequest, isEdl, pathLines, type ImportDraft } from './importDraft';
import { ErrorNotice } from '../shell/ErrorNotice';
import { PathRow } from '../shell/PathRow';

/**
 * File ▸ Import Timeline…: an NLE's timeline (OTIO, FCP7 XML, FCPXML, EDL) into the open project
 * as a new sequence, one undo step. Then the report: how much media was found, what is missing,
 * and every thing Lacuna could not carry over (transitions, effects, speed changes…), so nothing
 * is dropped silently.
 */
export function ImportTimelineDialog({ nativeDialogs, defaultFps, onClose }: { nativeDialogs: boolean; defaultFps: ImportDraft['fps']; onClose: (imported: CallOutput<'timeline.import'> | null) => void }) {
  const client = useClient();
  const [d, setD] = useState<ImportDraft>({ paths: '', fps: defaultFps, search: '', name: '' });
  const { busy, error, setError, result: done, run, side } = useCallState<CallOutput<'timeline.import'>>();
  const set = (p: Partial<ImportDraft>) => {
    setD((x) => ({ ...x, ...p }));
    setError(null);
  };
  const ready = importRequest(d);
  const edl = pathLines(d.paths).some(isEdl);

  const browse = () => side(() => client.call('dialog.openTimeline', {}), (paths) => paths.length && set({ paths: paths.join('\n') }));
  const submit = () => 'request' in ready && run(() => client.call('timeline.import', ready.request));

  if (done) {
    const r = importReport(done);
    return (
      <Modal title="Timeline imported" label="Import report" className="wide" onClose={() => onClose(done)} footer={<button className="primary" onClick={() => onClose(done)}>Done</button>}>
        <p data-testid="import-headline">{r.headline}</p>
        <p className={r.missing.length ? 'warn-text' : ''} data-testid="import-matched">
          {r.matched}
        </p>
        {r.missing.length > 0 && (
          <div className="report-group" data-testid="import-missing">
            <strong>Missing media: the clips using it were not imported</strong>
            <ul className="file-list">
              {r.missing.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </div>
        )}
        {r.groups.length === 0 ? (
          <p className="muted" data-testid="import-complete">
            Everything in the timeline was carried over.
          </p>
        ) : (
          <div className="report-notes" data-testid="import-notes">
            <strong>Not carried over as it was</strong>
            {r.groups.map((g) => (
              <div key={g.title} className="report-group">
                <span className="report-title">{g.title}</span>
                <ul className="note-list">
                  {g.items.map((i, n) => (
                    <li key={n}>{i}</li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        )}
      </Modal>
    );
  }

  return (
    <Modal
      title="Import timeline"
      className="wide"
      onClose={() => onClose(null)}
      footer={
        <>
          <button onClick={() => onClose(null)}>Cancel</button>
          <button className="primary" disabled={busy || !('request' in ready)} onClick={() => void submit()}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </>
      }
    >
      <label className="field">
        <span>Timeline file (.otio, .otioz, .xml, .fcpxml, .edl; several EDLs, one per line, make one sequence)</span>
        <PathRow onChoose={nativeDialogs ? () => void browse() : null}>
          <textarea aria-label="Timeline file" rows={2} value={d.paths} spellCheck={false} placeholder="/path/to/cut.otio" onChange={(e) => set({ paths: e.target.value })} />
        </PathRow>
      </label>
      <div className="field-row">
        <label className="field">
          <span>New sequence name (default: the timeline’s)</span>
          <input aria-label="Sequence name" value={d.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label className="field">
          <span>EDL frame rate{edl ? '' : ' (EDLs only)'}</span>
          <FrameRateSelect label="EDL frame rate" value={d.fps} disabled={!edl} onChange={(fps) => set({ fps })} />
        </label>
      </div>
      <label className="field">
        <span>Also look for media in (optional: found by name and content where the paths are from another machine)</span>
        <input aria-label="Search folder" value={d.search} spellCheck={false} placeholder="/Volumes/Media" onChange={(e) => set({ search: e.target.value })} />
      </label>
      {'problem' in ready && d.paths.trim() !== '' && <p className="warn-text small-print">{ready.problem}</p>}
      <ErrorNotice error={error} testId="import-error" />
    </Modal>
  );
}

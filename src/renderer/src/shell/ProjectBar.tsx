import type { ProjectDto } from '../../../api/schemas/project';
import type { ProjectCommands } from '../hooks/useProjectCommands';

/** Timeline interchange from the bar (the desktop's File menu has the same items): actions/interchange.tsx. */
export interface TimelineCommands {
  importTimeline(): void;
  exportTimeline(): void;
}

/** Top bar: project name with unsaved marker, file commands, timeline import/export, undo/redo with what they would do. */
export function ProjectBar({
  project,
  commands,
  timeline,
  onSettings,
}: {
  project: ProjectDto | null;
  commands: ProjectCommands;
  timeline?: TimelineCommands;
  onSettings?: () => void;
}) {
  const h = project?.history;
  return (
    <header className="project-bar">
      <div className="brand">Lacuna</div>
      <div className="button-group">
        <button onClick={() => void commands.newProject()}>New</button>
        <button onClick={() => void commands.openProject()}>Open…</button>
        <button disabled={!project} onClick={() => void commands.save()}>
          Save
        </button>
        <button disabled={!project} onClick={() => void commands.saveAs()}>
          Save As…
        </button>
      </div>
      {timeline && (
        <div className="button-group">
          <button disabled={!project} title="Bring in a timeline from an NLE (OTIO, FCP7 XML, FCPXML, EDL)" onClick={timeline.importTimeline}>
            Import Timeline…
          </button>
          <button disabled={!project?.sequences.length} title="Send a sequence to an NLE (Ctrl+E)" onClick={timeline.exportTimeline}>
            Export Timeline…
          </button>
        </div>
      )}
      <div className="button-group">
        <button
          disabled={!h?.canUndo}
          title={h?.undoLabel ? `Undo ${h.undoLabel}` : 'Nothing to undo'}
          aria-label="Undo"
          onClick={() => void commands.undo()}
        >
          ↶ Undo
        </button>
        <button
          disabled={!h?.canRedo}
          title={h?.redoLabel ? `Redo ${h.redoLabel}` : 'Nothing to redo'}
          aria-label="Redo"
          onClick={() => void commands.redo()}
        >
          ↷ Redo
        </button>
      </div>
      <div className="project-title" data-testid="project-title">
        {project ? (
          <>
            <span className="project-name">{project.name}</span>
            {project.dirty && (
              <span className="dirty-marker" title="Unsaved changes" aria-label="unsaved changes">
                ●
              </span>
            )}
            <span className="project-path">{project.path ?? 'not saved yet'}</span>
          </>
        ) : (
          <span className="muted">No project open</span>
        )}
      </div>
      {onSettings && (
        <button className="settings-button" aria-label="Settings" title="Settings (Ctrl+,)" onClick={onSettings}>
          ⚙ Settings
        </button>
      )}
    </header>
  );
}

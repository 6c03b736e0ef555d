import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../api/contract';
import { useClient } from '../clientContext';
import type { ProjectCommands } from '../hooks/useProjectCommands';
import { formatTime, shortenPath } from '../format';

/**
 * The first screen: new or open, the projects used lately, and (after Lacuna quit unexpectedly)
 * the unsaved changes autosaved before it did, to recover or discard.
 */
export function Welcome({ commands, reportError }: { commands: ProjectCommands; reportError: (e: unknown) => void }) {
  const client = useClient();
  const [recent, setRecent] = useState<CallOutput<'project.recent'>>([]);
  const [recoveries, setRecoveries] = useState<CallOutput<'project.recoveries'>>([]);
  const refresh = () => {
    client.call('project.recent', {}).then(setRecent, reportError);
    client.call('project.recoveries', {}).then(setRecoveries, reportError);
  };
  // Once, when the welcome screen shows (again after a project closes).
  useEffect(refresh, [client]);
  return (
    <div className="welcome-card">
      <h1>Lacuna</h1>
      <p>Remove objects from video by describing them.</p>
      {recoveries.length > 0 && (
        <div className="notice warn recovery" role="alert" data-testid="recovery">
          <strong>Lacuna closed before these changes were saved</strong>
          {recoveries.map((r) => (
            <div key={r.autosavePath} className="recovery-row">
              <span>
                {r.name} <span className="muted">· autosaved {formatTime(r.savedAt)}</span>
              </span>
              <span className="spacer" />
              <button className="small" onClick={() => void client.call('project.discardRecovery', { autosavePath: r.autosavePath }).then(refresh, reportError)}>
                Discard
              </button>
              <button className="small primary" onClick={() => void client.call('project.recover', { autosavePath: r.autosavePath }).catch(reportError)}>
                Recover
              </button>
            </div>
          ))}
        </div>
      )}
      <div className="button-group">
        <button className="primary" onClick={() => void commands.newProject()}>
          New project
        </button>
        <button onClick={() => void commands.openProject()}>Open project…</button>
      </div>
      {recent.length > 0 && (
        <div className="recent" data-testid="recent-projects">
          <h2>Recent</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.path}>
                <button className="link" title={r.path} onClick={() => void client.call('project.open', { path: r.path }).catch(reportError)}>
                  <span className="recent-name">{r.name}</span>
                  <span className="muted">{shortenPath(r.path, 56)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { ProjectDto } from '../../../api/schemas/project';
import { useClient } from '../clientContext';

/**
 * The open project as the engine last described it. project.changed is the single source of
 * truth (every mutation emits it, whoever caused it: this window, the menu, a finished job), so
 * components never patch project state themselves.
 */
export function useProject(onError: (e: unknown) => void): { project: ProjectDto | null; loaded: boolean } {
  const client = useClient();
  const [state, setState] = useState<{ project: ProjectDto | null; loaded: boolean }>({ project: null, loaded: false });
  useEffect(() => {
    let live = true;
    let gotEvent = false;
    const off = client.on('project.changed', (project) => {
      gotEvent = true;
      setState({ project, loaded: true });
    });
    client.call('project.get', {}).then(
      // An event that raced ahead of this reply is newer; keep it.
      (project) => live && !gotEvent && setState({ project, loaded: true }),
      (e) => live && onError(e),
    );
    return () => {
      live = false;
      off();
    };
  }, [client, onError]);
  return state;
}

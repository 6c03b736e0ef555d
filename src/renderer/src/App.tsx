import { useCallback, useEffect, useMemo, useState, type MouseEvent } from 'react';
import type { DeliveryCodecDto } from '../../api/schemas/jobs';
import type { MenuCommand } from '../../api/schemas/app';
import type { ClipDto } from '../../api/schemas/project';
import { useClient } from './clientContext';
import { ContextMenu } from './components/ContextMenu';
import { JobsPanel } from './components/JobsPanel';
import { MediaPool } from './components/MediaPool';
import { Notifications } from './components/Notifications';
import { ProjectBar } from './components/ProjectBar';
import { RemoveDialog } from './components/RemoveDialog';
import { SequencePanel } from './components/Sequence';
import { StatusBar } from './components/StatusBar';
import { TakesPanel } from './components/TakesPanel';
import { TranscodeDialog } from './components/TranscodeDialog';
import { Viewer, type ViewerSource } from './components/Viewer';
import { useDialogHost } from './hooks/useDialogHost';
import { useJobs } from './hooks/useJobs';
import { useNotifications } from './hooks/useNotifications';
import { useOnce } from './hooks/useOnce';
import { useProject } from './hooks/useProject';
import { useProjectCommands } from './hooks/useProjectCommands';

/** Whether keyboard focus is in a text field, where Undo/Redo mean the field's own history. */
function editingText(): boolean {
  const el = document.activeElement;
  return el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && !['radio', 'checkbox', 'range', 'button'].includes(el.type));
}

export function App() {
  const client = useClient();
  const { notes, dismiss, reportError, info: notify } = useNotifications();
  const { project, loaded } = useProject(reportError);
  const jobs = useJobs(reportError);
  const appInfo = useOnce('app.info', reportError);
  const ffmpeg = useOnce('ffmpeg.status', reportError);
  const kinds = useOnce('jobs.kinds', reportError);
  const { dialog, ask } = useDialogHost();
  const commands = useProjectCommands(project, appInfo, ask, reportError, notify);

  const [selectedMediaId, setSelectedMediaId] = useState<string | null>(null);
  const [selectedClipId, setSelectedClipId] = useState<string | null>(null);
  const [selectedSequenceId, setSelectedSequenceId] = useState<string | null>(null);
  const [menu, setMenu] = useState<{ clip: ClipDto; x: number; y: number } | null>(null);

  // Selections are ids; whatever they name may have gone (undo, another project), so look them up.
  const sequence = project?.sequences.find((s) => s.id === selectedSequenceId) ?? project?.sequences[0] ?? null;
  const selectedClip = useMemo(() => {
    for (const s of project?.sequences ?? []) for (const t of s.tracks) for (const c of t.clips) if (c.id === selectedClipId) return c;
    return null;
  }, [project, selectedClipId]);
  const selectedMedia = project?.media.find((m) => m.id === selectedMediaId) ?? null;

  /** Runs an API call for its effect (the project.changed event updates the UI), reporting failure. */
  const run = useCallback(
    async (fn: () => Promise<unknown>): Promise<boolean> => {
      try {
        await fn();
        return true;
      } catch (e) {
        reportError(e);
        return false;
      }
    },
    [reportError],
  );

  // Menu items (desktop) and shortcuts (browser) lead to the same commands.
  const onCommand = useCallback(
    (command: MenuCommand) => {
      if ((command === 'edit.undo' || command === 'edit.redo') && editingText()) {
        document.execCommand(command === 'edit.undo' ? 'undo' : 'redo');
        return;
      }
      const table: Record<MenuCommand, () => unknown> = {
        'project.new': commands.newProject,
        'project.open': commands.openProject,
        'project.save': commands.save,
        'project.saveAs': commands.saveAs,
        'edit.undo': commands.undo,
        'edit.redo': commands.redo,
        'media.import': () => commands.importMedia(),
      };
      void table[command]();
    },
    [commands],
  );
  useEffect(() => client.on('menu.command', onCommand), [client, onCommand]);
  useEffect(() => {
    // In Electron the menu's accelerators handle these keys; binding them here too would run them twice.
    if (appInfo?.host.kind !== 'browser') return;
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || dialog) return;
      const key = e.key.toLowerCase();
      const command: MenuCommand | null =
        key === 'z' ? (e.shiftKey ? 'edit.redo' : 'edit.undo') : key === 'y' ? 'edit.redo' : key === 's' ? (e.shiftKey ? 'project.saveAs' : 'project.save') : null;
      if (!command || (editingText() && command.startsWith('edit.'))) return;
      e.preventDefault();
      onCommand(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [appInfo, dialog, onCommand]);

  const openRemove = (clip: ClipDto) =>
    void ask<void>((done) => (
      <RemoveDialog
        clip={clip}
        kinds={kinds ?? []}
        onClose={done}
        onSubmit={(expression, engine) => run(() => client.call('jobs.submit', { kind: 'remove', clipId: clip.id, expression, engine }))}
      />
    ));
  const openTranscode = (clip: ClipDto) =>
    void ask<void>((done) => (
      <TranscodeDialog
        clip={clip}
        onClose={done}
        onSubmit={(codec: DeliveryCodecDto) => run(() => client.call('jobs.submit', { kind: 'transcode', clipId: clip.id, codec }))}
      />
    ));

  const viewerSource = useMemo((): ViewerSource | null => {
    if (selectedClip) {
      const take = selectedClip.takes.find((t) => t.id === selectedClip.activeTakeId);
      const media = project?.media.find((m) => m.id === take?.mediaId);
      if (!take) return null;
      return {
        key: `take:${take.id}`,
        title: `${selectedClip.name} — ${take.label}`,
        path: take.path,
        playback: take.playback,
        info: media?.info ?? null,
        online: take.online,
      };
    }
    if (selectedMedia) {
      return {
        key: `media:${selectedMedia.id}`,
        title: selectedMedia.name,
        path: selectedMedia.path,
        playback: selectedMedia.playback,
        info: selectedMedia.info,
        online: selectedMedia.online,
      };
    }
    return null;
  }, [selectedClip, selectedMedia, project]);

  const transport = client.transport;
  const pathsForDrop = transport.pathForFile
    ? (files: File[]) => files.map((f) => transport.pathForFile?.(f) ?? null).filter((p): p is string => !!p)
    : null;

  return (
    <div className="app">
      <ProjectBar project={project} commands={commands} />
      {project ? (
        <main className="workspace">
          <MediaPool
            media={project.media.filter((m) => m.role === 'source')}
            selectedId={selectedMediaId}
            onSelect={(id) => {
              setSelectedMediaId(id);
              setSelectedClipId(null);
            }}
            onAddToSequence={(mediaId) => void run(() => client.call('clip.add', { mediaId, sequenceId: sequence?.id }))}
            onImport={() => void commands.importMedia()}
            pathsForDrop={pathsForDrop}
            onDropPaths={(paths) => void commands.importMedia(paths)}
          />
          <div className="center">
            <Viewer source={viewerSource} mediaBase={transport.mediaBase} />
            <SequencePanel
              sequences={project.sequences}
              selectedSequenceId={sequence?.id ?? null}
              onSelectSequence={setSelectedSequenceId}
              selectedClipId={selectedClip?.id ?? null}
              onSelectClip={(id) => setSelectedClipId(id)}
              onClipContextMenu={(clip, e: MouseEvent) => setMenu({ clip, x: e.clientX, y: e.clientY })}
            />
          </div>
          <div className="right">
            <TakesPanel
              clip={selectedClip}
              onSetActive={(takeId) => selectedClip && void run(() => client.call('take.setActive', { clipId: selectedClip.id, takeId }))}
              onDelete={(takeId) => selectedClip && void run(() => client.call('take.delete', { clipId: selectedClip.id, takeId }))}
            />
            <JobsPanel
              jobs={jobs}
              onCancel={(jobId) => void run(() => client.call('jobs.cancel', { jobId }))}
              onRetry={(jobId) => void run(() => client.call('jobs.retry', { jobId }))}
            />
          </div>
        </main>
      ) : (
        <main className="welcome">
          {loaded && (
            <div className="welcome-card">
              <h1>Lacuna</h1>
              <p>Remove objects from video by describing them.</p>
              <div className="button-group">
                <button className="primary" onClick={() => void commands.newProject()}>
                  New project
                </button>
                <button onClick={() => void commands.openProject()}>Open project…</button>
              </div>
            </div>
          )}
        </main>
      )}
      <StatusBar info={appInfo} ffmpeg={ffmpeg} />
      {menu && (
        <ContextMenu
          x={menu.x}
          y={menu.y}
          onClose={() => setMenu(null)}
          items={[
            { label: 'Remove by description…', onSelect: () => openRemove(menu.clip) },
            { label: 'Transcode…', onSelect: () => openTranscode(menu.clip) },
            {
              label: 'Remove from sequence',
              separatorBefore: true,
              onSelect: () => void run(() => client.call('clip.remove', { clipId: menu.clip.id })),
            },
          ]}
        />
      )}
      {dialog}
      <Notifications notes={notes} onDismiss={dismiss} />
    </div>
  );
}

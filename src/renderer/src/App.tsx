import { useEffect, useMemo, useRef } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { exportTimeline, importTimeline } from './actions/interchange';
import { actionByName, actions } from './actions/registry';
import { runAction } from './actions/run';
import type { ActionContext } from './actions/types';
import { MediaPool } from './bin/MediaPool';
import { useClient } from './clientContext';
import { useDialogHost } from './hooks/useDialogHost';
import { useEngineSync } from './hooks/useEngineSync';
import { useNotifications } from './hooks/useNotifications';
import { useProjectCommands } from './hooks/useProjectCommands';
import { editingText, useShortcuts } from './hooks/useShortcuts';
import { ChatPanel } from './chat/ChatPanel';
import { FarmHeader, FarmJobs } from './jobs/FarmJobs';
import { JobsPanel } from './jobs/JobsPanel';
import { DeleteTakeDialog, type DeleteTakeChoice } from './removal/DeleteTakeDialog';
import { RemovePanel } from './removal/RemovePanel';
import { TakesPanel } from './removal/TakesPanel';
import { Notifications } from './shell/Notifications';
import { ProjectBar } from './shell/ProjectBar';
import { StatusBar } from './shell/StatusBar';
import { Welcome } from './shell/Welcome';
import { useAppStore } from './store/appStore';
import { primaryClip } from './store/selectors';
import { placeFromBin } from './bin/placeFromBin';
import { ClipContextMenu } from './timeline/ClipContextMenu';
import { Timeline } from './timeline/Timeline';
import { ProgramViewer } from './viewer/ProgramViewer';
import { SourceViewer } from './viewer/SourceViewer';

/**
 * The editor's frame: project bar, then bin | source | program | takes & jobs over the timeline,
 * all resizable (react-resizable-panels: kept, accessible separators with keyboard resizing,
 * layouts remembered per window, which a hand-made splitter would have to re-implement).
 * State lives in the store (store/appStore.ts); what the user can do lives in actions/.
 */
export function App() {
  const client = useClient();
  const { notes, dismiss, reportError, info: notify, warn } = useNotifications();
  useEngineSync(reportError);
  const project = useAppStore((s) => s.project);
  const loaded = useAppStore((s) => s.loaded);
  const appInfo = useAppStore((s) => s.info);
  const ffmpeg = useAppStore((s) => s.ffmpeg);
  const jobs = useAppStore((s) => s.jobs);
  const selectedMediaId = useAppStore((s) => s.selectedMediaId);
  const clip = useAppStore(primaryClip);
  const removalOpen = useAppStore((s) => s.removal !== null);
  const { dialog, ask } = useDialogHost();
  const commands = useProjectCommands(project, appInfo, ask, reportError, notify, warn);
  const timelineWidth = useRef<() => number>(() => 1000);

  const ctx = useMemo<ActionContext>(
    () => ({ client, ask, commands, reportError, notify, timelineWidth: () => timelineWidth.current() }),
    [client, ask, commands, reportError, notify],
  );
  useShortcuts(ctx, !!dialog);
  timelineWidth.current = () => document.querySelector('[data-testid="timeline-scroll"]')?.clientWidth ?? 1000;

  // The desktop menu's items run the same actions as the keys.
  useEffect(
    () =>
      client.on('menu.command', (command) => {
        if ((command === 'edit.undo' || command === 'edit.redo') && editingText()) {
          document.execCommand(command === 'edit.undo' ? 'undo' : 'redo');
          return;
        }
        const action = actions.find((a) => a.menuCommand === command);
        if (action) void runAction(action, ctx);
      }),
    [client, ctx],
  );

  const mediaBase = client.transport.mediaBase;
  const transport = client.transport;
  const pathsForDrop = transport.pathForFile
    ? (files: File[]) => files.map((f) => transport.pathForFile?.(f) ?? null).filter((p): p is string => !!p)
    : null;

  return (
    <div className="app">
      <ProjectBar
        project={project}
        commands={commands}
        timeline={{ importTimeline: () => void runAction(importTimeline, ctx), exportTimeline: () => void runAction(exportTimeline, ctx) }}
        onSettings={() => void runAction(actionByName('appSettings'), ctx)}
      />
      {project ? (
        <main className="workspace">
          <Group orientation="vertical" id="lacuna-main">
            <Panel id="top" defaultSize="62%" minSize={220}>
              <Group orientation="horizontal" id="lacuna-top">
                <Panel id="bin" defaultSize="18%" minSize={180}>
                  <MediaPool
                    media={project.media.filter((m) => m.role === 'source')}
                    selectedId={selectedMediaId}
                    onSelect={(id) => useAppStore.setState((s) => ({ selectedMediaId: id, sourceMediaId: id, selectedClipIds: [], activeViewer: 'source', source: s.selectedMediaId === id ? s.source : { frame: 0, rate: 0, inPoint: null, outPoint: null } }))}
                    onAddToSequence={(mediaId) => void placeFromBin(ctx, mediaId)}
                    onImport={() => void commands.importMedia()}
                    pathsForDrop={pathsForDrop}
                    onDropPaths={(paths) => void commands.importMedia(paths)}
                  />
                </Panel>
                <Separator className="sep v" />
                <Panel id="source" defaultSize="26%" minSize={220}>
                  <SourceViewer ctx={ctx} mediaBase={mediaBase} />
                </Panel>
                <Separator className="sep v" />
                <Panel id="program" defaultSize="34%" minSize={260}>
                  <ProgramViewer ctx={ctx} mediaBase={mediaBase} />
                </Panel>
                <Separator className="sep v" />
                <Panel id="inspector" defaultSize="22%" minSize={220}>
                  <div className={`inspector${removalOpen ? ' removing' : ''}`}>
                    {removalOpen ? (
                      <RemovePanel />
                    ) : (
                      <>
                        <TakesPanel
                      clip={clip}
                      onSetActive={(takeId) => clip && void client.call('take.setActive', { clipId: clip.id, takeId }).catch(reportError)}
                      onDelete={(takeId) => {
                        const take = clip?.takes.find((t) => t.id === takeId);
                        if (!clip || !take) return;
                        void ask<DeleteTakeChoice>((done) => <DeleteTakeDialog take={take} onDone={done} />).then(
                          (files) =>
                            files &&
                            client
                              .call('take.delete', { clipId: clip.id, takeId, files })
                              .then(({ files: done }) => {
                                if (done.notice) reportError(new Error(done.notice));
                                else if (done.trashed.length) notify(`${take.label}: ${done.trashed.length === 1 ? '1 file' : `${done.trashed.length} files`} moved to the Trash`);
                              })
                              .catch(reportError),
                        );
                      }}
                        />
                        <ChatPanel clip={clip} reportError={reportError} />
                      </>
                    )}
                    <JobsPanel
                      jobs={Object.values(jobs).filter((j) => j.projectId === project.id)}
                      canRetry={(j) => !j.clipId || project.sequences.some((q) => q.tracks.some((t) => t.clips.some((c) => c.id === j.clipId)))}
                      onCancel={(jobId) => void client.call('jobs.cancel', { jobId }).catch(reportError)}
                      onRetry={(jobId) => void client.call('jobs.retry', { jobId }).catch(reportError)}
                      farm={<FarmJobs reportError={reportError} />}
                      farmHeader={<FarmHeader reportError={reportError} notify={notify} />}
                    />
                  </div>
                </Panel>
              </Group>
            </Panel>
            <Separator className="sep h" />
            <Panel id="timeline" defaultSize="38%" minSize={160}>
              <Timeline ctx={ctx} />
            </Panel>
          </Group>
        </main>
      ) : (
        <main className="welcome">
          {loaded && <Welcome commands={commands} reportError={reportError} />}
        </main>
      )}
      <StatusBar info={appInfo} ffmpeg={ffmpeg} />
      <ClipContextMenu ctx={ctx} />
      {dialog}
      <Notifications notes={notes} onDismiss={dismiss} />
    </div>
  );
}

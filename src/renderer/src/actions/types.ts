import type { LacunaClient } from '../../../api/client';
import type { MenuCommand } from '../../../api/schemas/app';
import type { Ask } from '../hooks/useDialogHost';
import type { ProjectCommands } from '../hooks/useProjectCommands';
import type { AppState } from '../store/appStore';

/**
 * One user action, in one file (after Excalidraw's actions/): its name, its label for menus,
 * its key, whether it applies now, and what it does. Menus, the clip context menu and keyboard
 * shortcuts all read the one registry (registry.ts), so a shortcut cannot drift from its menu item
 * and a new edit is a new file.
 *
 * `perform` either returns the next view state (pure: zoom, playhead, marks) or does its work
 * through the engine API (edits: the engine publishes the changed project). Both may be mixed.
 */
export interface ActionContext {
  client: LacunaClient;
  ask: Ask;
  commands: ProjectCommands;
  reportError: (e: unknown) => void;
  notify: (text: string) => void;
  /** The timeline's visible width in pixels (zoom to fit). */
  timelineWidth: () => number;
}

export type ActionResult = Partial<AppState> | void;

export interface Action {
  name: string;
  label: string | ((s: AppState) => string);
  /** The key as shown beside the menu item ("S", "Shift+Del", "Ctrl+Z"). */
  shortcut?: string;
  /** Whether this key press means this action. Not consulted while typing in a field or in a dialog. */
  keyTest?: (e: KeyboardEvent, s: AppState) => boolean;
  /** The desktop menu item that runs it; in Electron the menu owns the key, so keyTest is skipped there. */
  menuCommand?: MenuCommand;
  /** Listed in the right-click menu of a timeline clip, in this group (groups are separated). */
  clipMenu?: 'removal' | 'edit' | 'takes';
  enabled?: (s: AppState) => boolean;
  perform: (s: AppState, ctx: ActionContext) => ActionResult | Promise<ActionResult>;
}

/** Ctrl on Linux/Windows, Cmd on macOS: editors use both. */
export function mod(e: KeyboardEvent): boolean {
  return e.ctrlKey || e.metaKey;
}

/** A plain key (no Ctrl/Cmd/Alt); Shift as given. */
export function plain(e: KeyboardEvent, key: string, shift = false): boolean {
  return !mod(e) && !e.altKey && e.shiftKey === shift && e.key.toLowerCase() === key.toLowerCase();
}

export function labelOf(action: Action, s: AppState): string {
  return typeof action.label === 'function' ? action.label(s) : action.label;
}

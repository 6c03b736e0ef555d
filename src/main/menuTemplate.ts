import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../api/schemas/app';

export interface MenuContext {
  appName: string;
  platform: NodeJS.Platform;
  /** A packaged (released) build: no developer tools in its menu. */
  packaged: boolean;
}

/**
 * The application menu as data (Electron only builds it: menu.ts), so what it offers is tested in
 * Node. Project commands are forwarded to the renderer as menu.command events rather than run
 * here: the renderer owns the confirm/choose-path flow for them (and knows whether a text field
 * has focus, where Undo means text undo, not project undo). A packaged build has no Toggle
 * Developer Tools or Force Reload: a user's copy is not a debugging target (the window's
 * webPreferences turn DevTools off there too, so no shortcut opens them).
 */
export function menuTemplate(send: (command: MenuCommand) => void, context: MenuContext): MenuItemConstructorOptions[] {
  const isMac = context.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(command),
  });
  const developer: MenuItemConstructorOptions[] = context.packaged ? [] : [{ role: 'forceReload' }, { role: 'toggleDevTools' }];
  return [
    ...(isMac ? [{ label: context.appName, role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('New Project', 'project.new', 'CmdOrCtrl+N'),
        item('Open Project…', 'project.open', 'CmdOrCtrl+O'),
        { type: 'separator' },
        item('Save', 'project.save', 'CmdOrCtrl+S'),
        item('Save As…', 'project.saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        item('Import Media…', 'media.import', 'CmdOrCtrl+I'),
        // No key: Ctrl+Shift+I is the developer tools' in development builds.
        item('Import Timeline…', 'timeline.import'),
        item('Export Timeline…', 'timeline.export', 'CmdOrCtrl+E'),
        { type: 'separator' },
        item(isMac ? 'Settings…' : 'Preferences…', 'app.settings', 'CmdOrCtrl+,'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
        item('Redo', 'edit.redo', isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: '&View', submenu: [{ role: 'reload' }, ...developer, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
  ];
}

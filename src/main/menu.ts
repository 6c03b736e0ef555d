import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../api/schemas/app';

/**
 * The application menu. Project commands are forwarded to the renderer as menu.command events
 * rather than run here: the renderer owns the confirm/choose-path flow for them (and knows
 * whether a text field has focus, where Undo means text undo, not project undo).
 */
export function buildMenu(send: (command: MenuCommand) => void, appName: string): Menu {
  const isMac = process.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => send(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ label: appName, role: 'appMenu' as const }] : []),
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
    { label: '&View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

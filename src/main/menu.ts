import { Menu } from 'electron';
import type { MenuCommand } from '../api/schemas/app';
import { menuTemplate, type MenuContext } from './menuTemplate';

/** The application menu (its items: menuTemplate.ts). */
export function buildMenu(send: (command: MenuCommand) => void, context: MenuContext): Menu {
  return Menu.buildFromTemplate(menuTemplate(send, context));
}

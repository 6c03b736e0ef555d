import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The CLI's own data folder (its job journal, renders of projects never saved). Kept apart from
 * the desktop app's, which holds its journal open while it runs; LACUNA_DATA_DIR moves it (a
 * render-farm worker gives each worker its own).
 */
export function cliDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LACUNA_DATA_DIR) return env.LACUNA_DATA_DIR;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Lacuna', 'cli');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Lacuna', 'cli');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'lacuna', 'cli');
}

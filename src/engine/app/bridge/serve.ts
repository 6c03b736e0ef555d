/*
 * Runs the editor UI in a browser without Electron:
 *   npx electron-vite build && npx tsx src/engine/app/bridge/serve.ts [--port 5199] [--data DIR]
 * then open the printed URL once: it carries this launch's access token, which the bridge then
 * keeps in a cookie (a request without it is refused). Paths are typed instead of picked (no
 * native dialogs there).
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserHost } from './browserHost';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    data: { type: 'string', default: join(homedir(), '.lacuna-bridge') },
    renderer: { type: 'string', default: 'out/renderer' },
  },
});
const dataDir = resolve(values.data);
mkdirSync(dataDir, { recursive: true });
const host = await startBrowserHost({ dataDir, rendererDir: resolve(values.renderer), port: Number(values.port) });
console.log(`Lacuna UI at ${host.url}\n  (open it once in your browser: the address carries this launch's access key; data in ${dataDir}; Ctrl-C to stop)`);
process.once('SIGINT', () => void host.close().then(() => process.exit(0)));

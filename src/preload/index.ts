/*
 * The only bridge between the sandboxed renderer and the main process. It exposes a transport
 * (src/api/transport.ts) limited to the contract's channels; it does not validate or interpret
 * data, which the renderer-side client does. Runs sandboxed, so it is bundled to one CommonJS
 * file with every dependency inlined (electron.vite.config.ts).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { callNames, eventNames } from '../api/contract';
import { ELECTRON_MEDIA_BASE, ipcCallChannel, ipcEventChannel } from '../api/ipcChannels';
import type { Transport } from '../api/transport';

const allowedCalls: ReadonlySet<string> = new Set(callNames);

const transport: Transport = {
  invoke(channel, input) {
    if (!allowedCalls.has(channel)) return Promise.reject(new Error(`not a Lacuna call: ${channel}`));
    return ipcRenderer.invoke(ipcCallChannel(channel), input);
  },
  subscribe(listener) {
    const bound = eventNames.map((name) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(name, payload);
      ipcRenderer.on(ipcEventChannel(name), handler);
      return () => ipcRenderer.removeListener(ipcEventChannel(name), handler);
    });
    return () => bound.forEach((off) => off());
  },
  mediaBase: ELECTRON_MEDIA_BASE,
  pathForFile(file) {
    // Electron no longer puts a `path` on File objects; webUtils is the supported way.
    return webUtils.getPathForFile(file) || null;
  },
};

contextBridge.exposeInMainWorld('lacuna', transport);

/**
 * Electron IPC channel names for the contract's calls and events. Prefixed so the contract's
 * channels cannot collide with Electron's own or a library's, and so the preload can tell ours
 * apart. Plain strings: imported by main and preload, no Electron types needed.
 */
export const ipcCallChannel = (name: string): string => `lacuna:call:${name}`;
export const ipcEventChannel = (name: string): string => `lacuna:event:${name}`;

/** The custom scheme Electron serves project media under (registered in src/main). */
export const MEDIA_SCHEME = 'lacuna-media';
/** Base URL the renderer builds media URLs from when hosted by Electron. */
export const ELECTRON_MEDIA_BASE = `${MEDIA_SCHEME}://media`;

import type { Transport } from '../../../api/transport';
import { createHttpTransport } from './httpTransport';

declare global {
  interface Window {
    /** Set by src/preload when running inside Electron. */
    lacuna?: Transport;
  }
}

/** Electron's preload transport when present, otherwise the HTTP bridge serving this page. */
export function pickTransport(): Transport {
  return window.lacuna ?? createHttpTransport();
}

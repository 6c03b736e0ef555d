/**
 * How a client reaches the engine. Two implementations: Electron's preload (IPC) and the HTTP
 * bridge (fetch + server-sent events). Both carry raw data; the client validates it.
 */
export interface Transport {
  /** Sends a call; resolves with the reply envelope as received (unvalidated). */
  invoke(channel: string, input: unknown): Promise<unknown>;
  /** Receives every event; returns an unsubscribe function. */
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
  /** Origin + prefix media URLs are served under (see mediaUrl.ts). */
  readonly mediaBase: string;
  /** Absolute path of a dropped File, where the host knows it (Electron); null otherwise. */
  pathForFile?(file: File): string | null;
}

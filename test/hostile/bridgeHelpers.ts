import { join } from 'node:path';
import { startBrowserHost, type BrowserHost } from '../../src/engine/app/bridge/browserHost';
import { tempDir } from '../app/fixtures';

/** A real bridge over a real engine in a temp folder, API only, on 127.0.0.1. */
export async function startTestBridge(): Promise<{ host: BrowserHost; dir: string; stop: () => Promise<void> }> {
  const tmp = tempDir('lacuna-hostile-');
  const host = await startBrowserHost({ dataDir: join(tmp.dir, 'data'), rendererDir: null, log: () => {} });
  return {
    host,
    dir: tmp.dir,
    stop: async () => {
      await host.close();
      tmp.cleanup();
    },
  };
}

export const bearer = (host: BrowserHost) => ({ Authorization: `Bearer ${host.token}` });

/** POST /api/<channel> as the UI would, with the token; the envelope and the HTTP status. */
export interface Reply {
  ok: boolean;
  value?: unknown;
  error: { code: string; message: string; hint?: string };
}

export async function call(host: BrowserHost, channel: string, input: unknown = {}): Promise<{ status: number; envelope: Reply }> {
  const r = await fetch(`${host.origin}/api/${channel}`, {
    method: 'POST',
    // No connection kept alive: a test that then blocks this process (the bridge runs in it) past
    // the bridge's keep-alive timeout would find the kept one reset under its next call.
    headers: { 'Content-Type': 'application/json', Connection: 'close', ...bearer(host) },
    body: JSON.stringify(input),
  });
  return { status: r.status, envelope: (await r.json()) as Reply };
}

/** Like call, but fails the test when the call fails. */
export async function ok<T = unknown>(host: BrowserHost, channel: string, input: unknown = {}): Promise<T> {
  const { envelope } = await call(host, channel, input);
  if (!envelope.ok) throw new Error(`${channel} failed: ${JSON.stringify(envelope.error)}`);
  return envelope.value as T;
}

import type { Transport } from '../../../api/transport';

/**
 * Talks to the HTTP bridge (src/engine/app/bridge): calls are POST /api/<channel> with a JSON
 * body answered by an envelope; events arrive over server-sent events at /api/events. Used when
 * the page is not inside Electron (tests in Chromium, UI work in a browser).
 */
export function createHttpTransport(origin: string = window.location.origin): Transport {
  return {
    async invoke(channel, input) {
      const res = await fetch(`${origin}/api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
      // Envelopes come back with 200 for handled failures too; anything else is the bridge itself failing.
      if (!res.headers.get('content-type')?.includes('application/json')) {
        throw new Error(`bridge answered ${res.status} ${res.statusText}`);
      }
      return res.json();
    },
    subscribe(listener) {
      const source = new EventSource(`${origin}/api/events`);
      source.onmessage = (message: MessageEvent<string>) => {
        try {
          const { name, payload } = JSON.parse(message.data) as { name: string; payload: unknown };
          listener(name, payload);
        } catch {
          console.error('lacuna: unreadable event from bridge', message.data);
        }
      };
      return () => source.close();
    },
    mediaBase: `${origin}/media`,
  };
}

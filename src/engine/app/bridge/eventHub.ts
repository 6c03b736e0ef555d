import type { ServerResponse } from 'node:http';

/**
 * Fans events out to every connected browser as server-sent events. SSE rather than WebSocket:
 * events only flow one way, it is plain HTTP (no dependency), and EventSource reconnects itself.
 */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;

  /** Takes over a response as an event stream until the browser disconnects. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // How soon EventSource reconnects after a drop.
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    // Comments keep idle connections from being closed by anything in between.
    this.heartbeat ??= setInterval(() => this.broadcastRaw(': keep-alive\n\n'), 15_000);
    this.heartbeat.unref?.();
  }

  publish(name: string, payload: unknown): void {
    this.broadcastRaw(`data: ${JSON.stringify({ name, payload })}\n\n`);
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private broadcastRaw(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}

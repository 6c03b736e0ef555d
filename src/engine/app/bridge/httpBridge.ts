import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Dispatch } from '../../../api/dispatch';
import { failure, type Envelope } from '../../../api/envelope';
import { AccessToken, TOKEN_PARAM } from './accessToken';
import type { EventHub } from './eventHub';
import { serveStatic } from './staticFiles';

export interface HttpBridgeOptions {
  dispatch: Dispatch;
  events: EventHub;
  /** The media endpoint (src/engine/app/media/mediaHandler.ts), mounted under /media. */
  media: (request: Request, pathname: string) => Promise<Response>;
  /** Built renderer to serve at /, or null to serve the API only. */
  staticDir: string | null;
  /** 0 picks a free port. */
  port?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface HttpBridge {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** The address a browser opens once: the origin with the access token (see accessToken.ts). */
  readonly url: string;
  /** For programs: send it as `Authorization: Bearer <token>`. */
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** A body over the limit is read and dropped up to this much, so the client reads the 413; past it the connection is cut. */
const MAX_DRAIN = 16 * MAX_BODY;

/**
 * The contract over HTTP, for running the real renderer in a plain browser (Chromium in tests,
 * UI work without Electron): POST /api/<channel> with a JSON body answers the call's envelope
 * through the same dispatcher Electron's IPC uses; GET /api/events streams events; /media plays
 * project files; everything else is the built renderer.
 *
 * It listens on 127.0.0.1 only and answers only requests that show this launch's access token
 * (accessToken.ts: a cookie set when the browser opens `url` once, or a Bearer header), so
 * neither another local process nor a page elsewhere in the browser can call it. It also refuses
 * what a web page could forge: a foreign Host (DNS rebinding), a foreign Origin, or a call that
 * is not application/json (which a cross-site form cannot send without CORS, never granted).
 */
export async function startHttpBridge(options: HttpBridgeOptions): Promise<HttpBridge> {
  const log = options.log ?? (() => {});
  const staticRoot = options.staticDir ? resolve(options.staticDir) : null;
  let origin = '';
  const token = new AccessToken();

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`bridge: ${req.method} ${req.url} failed`, e);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end('internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (`http://${host}` !== origin && `http://${host}` !== origin.replace('127.0.0.1', 'localhost')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong host');
      return;
    }
    const reqOrigin = req.headers.origin;
    if (reqOrigin && reqOrigin !== `http://${host}`) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('cross-origin requests are not allowed');
      return;
    }
    const url = new URL(req.url ?? '/', origin);

    if (url.searchParams.has(TOKEN_PARAM) && (req.method === 'GET' || req.method === 'HEAD')) {
      if (!token.matches(url.searchParams.get(TOKEN_PARAM))) return refuseUnauthorized(res);
      // The address opened once: keep the token in a cookie and take it out of the address bar.
      url.searchParams.delete(TOKEN_PARAM);
      res.writeHead(303, { 'Set-Cookie': token.cookie(), Location: url.pathname + url.search, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!token.admits(req)) return refuseUnauthorized(res);

    if (url.pathname.startsWith('/api/')) {
      if (url.pathname === '/api/events' && req.method === 'GET') return options.events.attach(res);
      if (req.method !== 'POST') return sendJson(res, 405, failure({ code: 'BAD_ARGUMENT', message: 'use POST for calls' }));
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return sendJson(res, 415, failure({ code: 'BAD_ARGUMENT', message: 'calls must be application/json' }));
      }
      let channel: string;
      try {
        channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      } catch {
        return sendJson(res, 400, failure({ code: 'BAD_ARGUMENT', message: 'the call name in the URL has a malformed % escape' }));
      }
      let input: unknown;
      try {
        const body = await readBody(req);
        if (body === null) {
          res.setHeader('Connection', 'close');
          return sendJson(res, 413, failure({ code: 'BAD_ARGUMENT', message: `${channel}: the request body is over ${MAX_BODY / 1024 / 1024} MiB` }));
        }
        input = body.length ? JSON.parse(body) : {};
      } catch (e) {
        return sendJson(res, 400, failure({ code: 'INVALID_INPUT', message: `${channel}: body is not JSON (${(e as Error).message})` }));
      }
      return sendJson(res, 200, await options.dispatch(channel, input));
    }

    if (url.pathname.startsWith('/media/')) {
      const controller = new AbortController();
      res.on('close', () => controller.abort());
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
        signal: controller.signal,
      });
      const response = await options.media(request, url.pathname.slice('/media'.length));
      return pipeResponse(response, res);
    }

    if (staticRoot && (req.method === 'GET' || req.method === 'HEAD')) return serveStatic(staticRoot, url.pathname, res);
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  token.bind(port);

  return {
    origin,
    url: `${origin}/?${TOKEN_PARAM}=${token.value}`,
    token: token.value,
    close: () =>
      new Promise<void>((resolveClose) => {
        options.events.close();
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, envelope: Envelope): void {
  const body = JSON.stringify(envelope);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

function refuseUnauthorized(res: ServerResponse): void {
  res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('This Lacuna bridge needs its access key: open the address it printed when it started (the one with ?token=).\n');
}

/**
 * The body as text, or null when it is over MAX_BODY. An oversized body is still read (and
 * dropped) to its end, so the client gets its 413 instead of a reset connection; one over
 * MAX_DRAIN, or one whose Content-Length says so, is not worth reading and gets null at once
 * (the caller answers and the connection closes).
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAIN) {
      resolveBody(null);
      return;
    }
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
      else if (size > MAX_DRAIN) {
        resolveBody(null);
        req.destroy();
      }
    });
    req.on('end', () => resolveBody(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes a web Response to a Node response, streaming; a disconnect cancels the body (stops ffmpeg). */
function pipeResponse(response: Response, res: ServerResponse): void {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  if (!response.body) {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('error', () => res.destroy());
  res.on('close', () => body.destroy());
  body.pipe(res);
}

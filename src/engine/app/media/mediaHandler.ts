import { parseMediaRequest } from '../../../api/mediaUrl';
import type { MediaRef } from '../../project';
import { isPlayableContainer } from './containerSniff';
import { proxyResponse } from './proxyStream';
import { serveFile } from './serveFile';

/** What the endpoint serves: a project's media entry, or a sequence mix the engine made (WAV). */
export type ServableMedia = MediaRef | { kind: 'mix'; path: string };

export interface MediaHandlerOptions {
  /**
   * The open project's media entry at `path` (a file, a take, or an image sequence's pattern), or
   * null: only those are served, so a compromised page cannot read arbitrary files through the
   * media URLs. An image sequence plays only as a proxy; its entry gives the frame list and rate.
   */
  media: (path: string) => ServableMedia | null;
  /** ffmpeg binary for proxy previews (looked up per request: settings may change it). */
  ffmpeg: () => string;
  /**
   * Proxy transcodes allowed at once (each is a real-time ffmpeg). A viewer needs one, plus one
   * starting while the last seek's is being stopped; more are refused with 503 and Retry-After.
   */
  maxProxies?: number;
  /** The app settings' proxy limits, read per request (they override maxProxies and the height cap). */
  proxy?: () => { maxConcurrent: number; maxHeight: number };
  log?: (message: string) => void;
}

export const DEFAULT_MAX_PROXIES = 3;

/**
 * The media endpoint both hosts mount: Electron under lacuna-media://media, the HTTP bridge under
 * /media. `pathname` is the request path after that prefix (see src/api/mediaUrl.ts).
 *
 * A file is served as itself only when it is a container the browser plays (checked by its first
 * bytes, not its name): a crafted project that names a key or a config file as a "clip" gets a
 * 403 rather than its bytes. Proxies read only video containers and image files (proxyStream.ts).
 */
export function createMediaHandler(options: MediaHandlerOptions) {
  let proxies = 0;
  return async (request: Request, pathname: string): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    const search = new URL(request.url).search;
    const req = parseMediaRequest(pathname, search);
    if (!req) return new Response('bad media URL', { status: 400 });
    const media = options.media(req.path);
    if (!media) {
      options.log?.(`media: refused ${req.path} (not part of the open project)`);
      return new Response('not part of the open project', { status: 403 });
    }
    if (media.kind === 'mix') return req.mode === 'file' ? serveFile(media.path, request) : new Response('a sequence mix is served as a file', { status: 400 });
    if (req.mode === 'file') {
      if (media.kind !== 'file') return new Response('an image sequence plays only as a proxy (/proxy/)', { status: 400 });
      const playable = await isPlayableContainer(media.path);
      if (playable === 'missing') return new Response('file not found', { status: 404 });
      if (!playable) {
        options.log?.(`media: refused ${media.path} (not a container the browser plays)`);
        return new Response('not a media file the browser plays; use /proxy/', { status: 403 });
      }
      return serveFile(media.path, request);
    }
    const limits = options.proxy?.();
    const maxProxies = limits?.maxConcurrent ?? options.maxProxies ?? DEFAULT_MAX_PROXIES;
    if (proxies >= maxProxies) {
      options.log?.(`media: refused a proxy of ${media.path} (${proxies} already running)`);
      return new Response(`${proxies} previews are already being transcoded; try again when one has stopped`, {
        status: 503,
        headers: { 'Retry-After': '1', 'Content-Type': 'text/plain' },
      });
    }
    let ffmpeg: string;
    try {
      ffmpeg = options.ffmpeg();
    } catch (e) {
      return new Response(e instanceof Error ? e.message : 'ffmpeg not found', { status: 503 });
    }
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { 'Content-Type': 'video/mp4', 'Cache-Control': 'no-store' } });
    proxies++;
    let released = false;
    const release = () => {
      if (!released) proxies--;
      released = true;
    };
    try {
      return await proxyResponse(media, { ffmpeg, start: req.start, maxHeight: limits?.maxHeight, onError: options.log, onExit: release });
    } catch (e) {
      release();
      throw e;
    }
  };
}

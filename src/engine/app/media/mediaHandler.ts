import { parseMediaRequest } from '../../../api/mediaUrl';
import { proxyResponse } from './proxyStream';
import { serveFile } from './serveFile';

export interface MediaHandlerOptions {
  /**
   * Whether a path may be served: only files the open project refers to (media and takes), so a
   * compromised page cannot read arbitrary files through the media URL scheme.
   */
  canServe: (path: string) => boolean;
  /** ffmpeg binary for proxy previews (looked up per request: settings may change it). */
  ffmpeg: () => string;
  log?: (message: string) => void;
}

/**
 * The media endpoint both hosts mount: Electron under lacuna-media://media, the HTTP bridge under
 * /media. `pathname` is the request path after that prefix (see src/api/mediaUrl.ts).
 */
export function createMediaHandler(options: MediaHandlerOptions) {
  return async (request: Request, pathname: string): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405 });
    const search = new URL(request.url).search;
    const media = parseMediaRequest(pathname, search);
    if (!media) return new Response('bad media URL', { status: 400 });
    if (!options.canServe(media.path)) {
      options.log?.(`media: refused ${media.path} (not part of the open project)`);
      return new Response('not part of the open project', { status: 403 });
    }
    if (media.mode === 'file') return serveFile(media.path, request);
    let ffmpeg: string;
    try {
      ffmpeg = options.ffmpeg();
    } catch (e) {
      return new Response(e instanceof Error ? e.message : 'ffmpeg not found', { status: 503 });
    }
    return proxyResponse(media.path, { ffmpeg, start: media.start, onError: options.log });
  };
}

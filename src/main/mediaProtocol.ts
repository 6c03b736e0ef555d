import { protocol } from 'electron';
import { MEDIA_SCHEME } from '../api/ipcChannels';

/**
 * Declares lacuna-media:// before the app is ready (Electron requires it then). `stream` lets
 * <video> read it progressively and seek with Range requests; `standard` + `secure` give it a
 * real origin so CSP and fetch treat it like https; `supportFetchAPI` lets the page probe it.
 */
export function registerMediaScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves lacuna-media://media/... with the Electron-free handler (src/engine/app/media), which
 * does the Range and proxy-transcode work and is tested in plain Node.
 */
export function handleMediaScheme(handler: (request: Request, pathname: string) => Promise<Response>): void {
  protocol.handle(MEDIA_SCHEME, (request) => {
    const url = new URL(request.url);
    if (url.host !== 'media') return new Response('unknown media host', { status: 404 });
    return handler(request, url.pathname);
  });
}

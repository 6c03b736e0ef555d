/**
 * URLs for playing project media. The host serves `<mediaBase>/file/<path>` as the file itself
 * (with Range requests) and `<mediaBase>/proxy/<path>?t=<seconds>` as a preview transcoded from
 * that time on, for codecs Chromium cannot decode. Electron's base is `lacuna-media://media`; the
 * HTTP bridge's is `<origin>/media`. Both hosts parse requests with parseMediaRequest.
 */
export type MediaRequest = { mode: 'file'; path: string } | { mode: 'proxy'; path: string; start: number };

export function mediaUrl(base: string, request: MediaRequest): string {
  const encoded = encodeURIComponent(request.path);
  if (request.mode === 'file') return `${base}/file/${encoded}`;
  const start = Math.max(0, Math.round(request.start * 1000) / 1000);
  return `${base}/proxy/${encoded}?t=${start}`;
}

/** Parses the part of a media URL after the base: `/file/<enc>` or `/proxy/<enc>?t=`. */
export function parseMediaRequest(pathname: string, search: string): MediaRequest | null {
  const m = /^\/(file|proxy)\/([^/]+)$/.exec(pathname);
  if (!m) return null;
  let path: string;
  try {
    path = decodeURIComponent(m[2]);
  } catch {
    return null;
  }
  if (!path) return null;
  if (m[1] === 'file') return { mode: 'file', path };
  const t = Number(new URLSearchParams(search).get('t') ?? '0');
  return { mode: 'proxy', path, start: Number.isFinite(t) && t > 0 ? t : 0 };
}

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { parseByteRange } from './byteRange';
import { contentTypeFor } from './playability';

/**
 * Answers a request for a media file as a web Response (what Electron's protocol.handle wants,
 * and what the HTTP bridge pipes out), honouring Range so <video> can seek without reading the
 * whole file. The file is streamed, never buffered: camera originals run to many gigabytes.
 */
export async function serveFile(path: string, request: Request): Promise<Response> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return new Response('not a file', { status: 404 });
    size = s.size;
  } catch {
    return new Response('file not found', { status: 404 });
  }
  const headers = new Headers({
    'Content-Type': contentTypeFor(path),
    'Accept-Ranges': 'bytes',
    // The file may be replaced by a re-render under the same name; never reuse stale bytes.
    'Cache-Control': 'no-store',
  });
  const range = parseByteRange(request.headers.get('range'), size);
  if (range === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers.set('Content-Length', String(size === 0 ? 0 : end - start + 1));
  if (range) headers.set('Content-Range', `bytes ${start}-${end}/${size}`);
  if (request.method === 'HEAD' || size === 0) return new Response(null, { status: range ? 206 : 200, headers });
  const stream = createReadStream(path, { start, end });
  // Readable.toWeb destroys the file stream when the consumer cancels (the video seeks away).
  const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  return new Response(body, { status: range ? 206 : 200, headers });
}

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl } from '../../../src/api/mediaUrl';
import { createMediaHandler } from '../../../src/engine/app/media/mediaHandler';
import { proxyArgs, proxyResponse } from '../../../src/engine/app/media/proxyStream';
import { makeClip, tempDir } from '../fixtures';

const BASE = 'lacuna-media://media';
let dir: string;
let cleanup: () => void;
let bytesFile: string;
let prores: string;
const allowed = new Set<string>();

const handler = createMediaHandler({ canServe: (p) => allowed.has(p), ffmpeg: () => 'ffmpeg' });
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => {
  const u = new URL(url);
  return handler(new Request(url.replace(/^lacuna-media:/, 'http:'), { method, headers }), u.pathname);
};

beforeAll(() => {
  ({ dir, cleanup } = tempDir());
  bytesFile = join(dir, 'clip one.mp4');
  writeFileSync(bytesFile, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)));
  prores = makeClip(join(dir, 'bars.mov'), { codec: 'prores', seconds: 3 });
  allowed.add(bytesFile).add(prores);
});
afterAll(() => cleanup());

describe('media handler: files', () => {
  it('serves a whole file with Accept-Ranges', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }));
    expect(r.status).toBe(200);
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect(r.headers.get('content-type')).toBe('video/mp4');
    expect((await r.arrayBuffer()).byteLength).toBe(1000);
  });

  it('serves byte ranges as 206 with the exact bytes', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), { Range: 'bytes=300-303' });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 300-303/1000');
    expect(r.headers.get('content-length')).toBe('4');
    expect([...new Uint8Array(await r.arrayBuffer())]).toEqual([300 % 256, 301 % 256, 302 % 256, 303 % 256]);
  });

  it('answers 416 for a range past the end, and HEAD without a body', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), { Range: 'bytes=5000-' });
    expect(r.status).toBe(416);
    expect(r.headers.get('content-range')).toBe('bytes */1000');
    const h = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), {}, 'HEAD');
    expect(h.status).toBe(200);
    expect(h.headers.get('content-length')).toBe('1000');
  });

  it('refuses files that are not part of the project, and bad URLs', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: '/etc/passwd' }));
    expect(r.status).toBe(403);
    expect((await get(`${BASE}/elsewhere/x`)).status).toBe(400);
    expect((await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), {}, 'POST')).status).toBe(405);
  });

  it('answers 404 for an allowed file that has gone', async () => {
    const gone = join(dir, 'gone.mov');
    allowed.add(gone);
    expect((await get(mediaUrl(BASE, { mode: 'file', path: gone }))).status).toBe(404);
  });
});

/** Pids of live processes whose command line names `text` (Linux /proc). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Reads from a stream until `enough` bytes or its end. */
async function readSome(body: ReadableStream<Uint8Array>, enough: number): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  while (n < enough) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    n += value.length;
  }
  await reader.cancel();
  return Buffer.concat(chunks);
}

describe('media handler: proxy previews', () => {
  it('transcodes ProRes to fragmented H.264 MP4 from the requested time', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'proxy', path: prores, start: 1 }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('video/mp4');
    const all = await readSome(r.body!, Number.POSITIVE_INFINITY);
    // ISO BMFF: ftyp first, an empty moov, then movie fragments.
    expect(all.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(all.includes(Buffer.from('moof'))).toBe(true);
    expect(all.includes(Buffer.from('avc1'))).toBe(true);
    expect(all.includes(Buffer.from('mp4a'))).toBe(true);
  });

  it.runIf(process.platform === 'linux')('stops ffmpeg when the player goes away', async () => {
    // Long enough that its preview outgrows the pipe and queue, so back-pressure holds ffmpeg.
    const long = makeClip(join(dir, 'long.mp4'), { codec: 'h264', seconds: 20, size: '640x360' });
    let error = '';
    const r = proxyResponse(long, { ffmpeg: 'ffmpeg', start: 0, onError: (m) => (error = m) });
    const reader = r.body!.getReader();
    expect((await reader.read()).value?.length).toBeGreaterThan(0);
    await new Promise((res) => setTimeout(res, 500));
    expect(processesMentioning(long).length).toBe(1); // waiting for us to read on
    await reader.cancel();
    await new Promise((res) => setTimeout(res, 300));
    expect(processesMentioning(long)).toEqual([]);
    expect(error).toBe(''); // a cancelled stream is not a failure
  });

  it('drops what ffmpeg had already written when the player cancels mid-flow', async () => {
    // Cancelling while ffmpeg is still pouring data leaves 'data' events in flight: they must not
    // be written into the closed stream (that is an uncaught exception in the main process).
    const clip = makeClip(join(dir, 'flowing.mp4'), { codec: 'h264', seconds: 6, size: '640x360' });
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (let i = 0; i < 4; i++) {
        const reader = proxyResponse(clip, { ffmpeg: 'ffmpeg', start: 0 }).body!.getReader();
        await reader.read();
        await reader.cancel();
      }
      await new Promise((res) => setTimeout(res, 300));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it('reports an ffmpeg failure on the stream', async () => {
    let error = '';
    const r = proxyResponse(join(dir, 'missing.mov'), { ffmpeg: 'ffmpeg', start: 0, onError: (m) => (error = m) });
    await expect(r.arrayBuffer()).rejects.toThrow();
    expect(error).toMatch(/missing\.mov/);
  });

  it('seeks on input and caps preview height', () => {
    const args = proxyArgs('/a.mov', 12.5, 540);
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(args).toContain('12.500');
    expect(args.join(' ')).toContain("min(540,ih)");
    expect(proxyArgs('/a.mov', 0)).not.toContain('-ss');
  });
});

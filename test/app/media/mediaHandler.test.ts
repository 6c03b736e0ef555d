import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl } from '../../../src/api/mediaUrl';
import { createMediaHandler } from '../../../src/engine/app/media/mediaHandler';
import { proxyPlan, proxyResponse } from '../../../src/engine/app/media/proxyStream';
import type { MediaRef } from '../../../src/engine/project';
import { makeClip, tempDir } from '../fixtures';
import { craftedFileRef, mediaRefOf } from './mediaRefs';

const BASE = 'lacuna-media://media';
let dir: string;
let cleanup: () => void;
let bytesFile: string;
let bytes: Buffer;
let prores: string;
let proresRef: MediaRef;
const allowed = new Map<string, MediaRef>();

const handler = createMediaHandler({ media: (p) => allowed.get(p) ?? null, ffmpeg: () => 'ffmpeg' });
const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => {
  const u = new URL(url);
  return handler(new Request(url.replace(/^lacuna-media:/, 'http:'), { method, headers }), u.pathname);
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  bytesFile = makeClip(join(dir, 'clip one.mp4'), { seconds: 1 });
  bytes = readFileSync(bytesFile);
  prores = makeClip(join(dir, 'bars.mov'), { codec: 'prores', seconds: 3 });
  proresRef = await mediaRefOf(prores);
  allowed.set(bytesFile, await mediaRefOf(bytesFile)).set(prores, proresRef);
}, 60_000);
afterAll(() => cleanup());

describe('media handler: files', () => {
  it('serves a whole file with Accept-Ranges', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }));
    expect(r.status).toBe(200);
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect(r.headers.get('content-type')).toBe('video/mp4');
    expect((await r.arrayBuffer()).byteLength).toBe(bytes.length);
  });

  it('serves byte ranges as 206 with the exact bytes', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), { Range: 'bytes=300-303' });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 300-303/${bytes.length}`);
    expect(r.headers.get('content-length')).toBe('4');
    expect([...new Uint8Array(await r.arrayBuffer())]).toEqual([...bytes.subarray(300, 304)]);
  });

  it('answers 416 for a range past the end, and HEAD without a body', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), { Range: `bytes=${bytes.length + 10}-` });
    expect(r.status).toBe(416);
    expect(r.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    const h = await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), {}, 'HEAD');
    expect(h.status).toBe(200);
    expect(h.headers.get('content-length')).toBe(String(bytes.length));
  });

  it('refuses files that are not part of the project, and bad URLs', async () => {
    const r = await get(mediaUrl(BASE, { mode: 'file', path: '/etc/passwd' }));
    expect(r.status).toBe(403);
    expect((await get(`${BASE}/elsewhere/x`)).status).toBe(400);
    expect((await get(mediaUrl(BASE, { mode: 'file', path: bytesFile }), {}, 'POST')).status).toBe(405);
  });

  it('answers 404 for an allowed file that has gone', async () => {
    const gone = join(dir, 'gone.mov');
    allowed.set(gone, craftedFileRef(proresRef, gone));
    expect((await get(mediaUrl(BASE, { mode: 'file', path: gone }))).status).toBe(404);
  });

  it('serves as a file only containers the browser plays, whatever the project says', async () => {
    // A crafted project naming a private key as a clip gets no bytes of it, by name or by proxy.
    const key = join(dir, 'id_ed25519');
    writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n');
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'the password is hunter2\n');
    for (const path of [key, notes]) {
      allowed.set(path, craftedFileRef(proresRef, path));
      const r = await get(mediaUrl(BASE, { mode: 'file', path }));
      expect(r.status).toBe(403);
      expect(await r.text()).not.toContain('hunter2');
      const p = await get(mediaUrl(BASE, { mode: 'proxy', path, start: 0 }));
      expect(p.status).toBe(422); // ffmpeg reads no demuxer outside the list
      expect(await p.text()).not.toContain('hunter2');
    }
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
    const r = await proxyResponse(await mediaRefOf(long), { ffmpeg: 'ffmpeg', start: 0, onError: (m) => (error = m) });
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
    const ref = await mediaRefOf(clip);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      for (let i = 0; i < 4; i++) {
        const reader = (await proxyResponse(ref, { ffmpeg: 'ffmpeg', start: 0 })).body!.getReader();
        await reader.read();
        await reader.cancel();
      }
      await new Promise((res) => setTimeout(res, 300));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });

  it('answers 422 when ffmpeg cannot read the source, and logs why', async () => {
    let error = '';
    const r = await proxyResponse(craftedFileRef(proresRef, join(dir, 'missing.mov')), { ffmpeg: 'ffmpeg', start: 0, onError: (m) => (error = m) });
    expect(r.status).toBe(422);
    expect(error).toMatch(/missing\.mov/);
  });

  it('answers 503 when ffmpeg cannot be started', async () => {
    let exits = 0;
    const r = await proxyResponse(proresRef, { ffmpeg: join(dir, 'no-ffmpeg'), start: 0, onExit: () => exits++ });
    expect(r.status).toBe(503);
    expect(await r.text()).toMatch(/could not start ffmpeg/);
    expect(exits).toBe(1);
  });

  it('seeks on input half a frame before the frame shown at the time, and caps preview height', () => {
    // bars.mov: 24 fps, 320x180. 12.5 s is inside frame 300 (12.5 × 24), so the seek is to 299.5 / 24.
    const plan = proxyPlan(proresRef, 12.5, 90);
    expect(plan.args.indexOf('-ss')).toBeLessThan(plan.args.indexOf('-i'));
    expect(plan.startFrame).toBe(300);
    expect(plan.startTime).toBeCloseTo(12.5, 9);
    expect(Number(plan.args[plan.args.indexOf('-ss') + 1])).toBeCloseTo(299.5 / 24, 5);
    expect(plan.args.join(' ')).toContain('scale=160:90');
    expect(proxyPlan(proresRef, 0).args).not.toContain('-ss');
    // A time given to the millisecond just under a frame's start is that frame (24000/1001: frame 3 = 0.125125 s).
    const ntsc = { ...proresRef, probe: { ...proresRef.probe, video: { ...proresRef.probe.video!, fps: { num: 24000, den: 1001 } } } } as MediaRef;
    expect(proxyPlan(ntsc, 0.125).startFrame).toBe(3);
  });

  it('runs at most three transcodes at once and refuses more with 503', async () => {
    const limited = createMediaHandler({ media: (p) => allowed.get(p) ?? null, ffmpeg: () => 'ffmpeg' });
    const ask = () => {
      const url = mediaUrl(BASE, { mode: 'proxy', path: prores, start: 0 });
      return limited(new Request(url.replace(/^lacuna-media:/, 'http:')), new URL(url).pathname);
    };
    const answers = await Promise.all(Array.from({ length: 12 }, ask));
    expect(answers.map((r) => r.status).sort()).toEqual([...Array(3).fill(200), ...Array(9).fill(503)]);
    expect(answers.find((r) => r.status === 503)!.headers.get('retry-after')).toBe('1');
    await Promise.all(answers.map((r) => r.body?.cancel()));
    await new Promise((res) => setTimeout(res, 300));
    const again = await ask();
    expect(again.status).toBe(200); // stopped ones free their place
    await again.body?.cancel();
  });
});

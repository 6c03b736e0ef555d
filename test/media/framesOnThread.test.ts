import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { createDecodeThread } from '../../src/engine/media/framesOnThread';
import { probeMedia } from '../../src/engine/media/probe';
import type { Frame } from '../../src/engine/media/types';
import { rational } from '../../src/engine/util/rational';
import { makeClip, withTempDir } from './mediaFiles';

const TWO_BIRDS = '/work/shared/fixtures/two-birds';

async function collect(frames: AsyncIterable<Frame>): Promise<Frame[]> {
  const out: Frame[] = [];
  for await (const f of frames) out.push(f);
  return out;
}

/** Whether an ffmpeg whose arguments name `path` is running. */
function ffmpegRunningOn(path: string): boolean {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.stdout.split('\n').some((line) => line.includes('ffmpeg') && line.includes(path));
}

/** Sleeps this thread without giving its event loop a turn (as a long computation does). */
function blockThread(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('createDecodeThread', () => {
  const thread = createDecodeThread();
  afterAll(() => thread.dispose());

  it('gives the frames decodeFrames gives, each in a buffer of its own, request after request', async () => {
    const info = await probeMedia(TWO_BIRDS, { fps: rational(10) });
    const options = { range: { start: 3, end: 9 }, width: 284, height: 160 };
    const [direct, threaded] = await Promise.all([collect(decodeFrames(info, options)), thread.readAll(info, options)]);
    expect(threaded.map((f) => [f.index, f.sourceIndex, f.width, f.height, f.channels])).toEqual(direct.map((f) => [f.index, f.sourceIndex, f.width, f.height, f.channels]));
    threaded.forEach((f, i) => {
      expect(f.time).toEqual(direct[i].time);
      expect(Buffer.compare(f.data, direct[i].data), `frame ${i}`).toBe(0);
      expect(f.data.buffer.byteLength).toBe(f.data.byteLength);
    });
    const gray = await thread.readAll(info, { range: { start: 0, end: 2 }, width: 64, height: 36, pixelFormat: 'gray' });
    expect(gray.map((f) => [f.channels, f.data.length])).toEqual([
      [1, 64 * 36],
      [1, 64 * 36],
    ]);
  });

  it('fails as decodeFrames does, with its code and words', async () => {
    await withTempDir(async (dir) => {
      const info = await probeMedia(await makeClip(join(dir, 'd.mp4'), { audio: false }));
      await expect(thread.readAll(info, { range: { start: 20, end: 30 } })).rejects.toMatchObject({ name: 'LacunaError', code: 'BAD_RANGE' });
      const gone = { ...info, source: { kind: 'file' as const, path: join(dir, 'moved.mp4') } };
      await expect(thread.readAll(gone, {})).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND', message: expect.stringContaining('moved.mp4') });
    });
  });

  it('reads ahead while this thread computes: the decode is over before this thread takes a frame', async () => {
    await withTempDir(async (dir) => {
      const path = await makeClip(join(dir, 'ahead.mp4'), { seconds: 3, audio: false });
      const info = await probeMedia(path);
      const pending = thread.readAll(info, {});
      // Far more than a 320x180 clip's pipe buffer: read on this thread, ffmpeg would block on it.
      let waited = 0;
      while (ffmpegRunningOn(path) && waited < 20_000) {
        blockThread(250);
        waited += 250;
      }
      expect(ffmpegRunningOn(path)).toBe(false);
      expect(await pending).toHaveLength(info.video!.frameCount);
    });
  });

  it('stops ffmpeg and rejects CANCELLED when the signal aborts, and serves the next request', async () => {
    await withTempDir(async (dir) => {
      const path = await makeClip(join(dir, 'long.mp4'), { seconds: 20, audio: false });
      const info = await probeMedia(path);
      const controller = new AbortController();
      const pending = thread.readAll(info, { width: 1920, height: 1080, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
      for (let i = 0; i < 40 && ffmpegRunningOn(path); i++) await new Promise((r) => setTimeout(r, 50));
      expect(ffmpegRunningOn(path)).toBe(false);
      await expect(thread.readAll(info, { range: { start: 0, end: 2 } })).resolves.toHaveLength(2);
      await expect(thread.readAll(info, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
    });
  });
});

import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { encodeTakeAndMatte, type TakeFrame } from '../../src/engine/media/encodeTakeAndMatte';
import type { EncodeOptions } from '../../src/engine/media/encode';
import { probeMedia } from '../../src/engine/media/probe';
import { rational } from '../../src/engine/util/rational';
import { makeClip, withTempDir } from '../media/mediaFiles';
import { canMount, ffmpegWrapper, fillDisk, mountTmpfs, sleep, testFrame, withFfmpeg } from './hostileKit';

/*
 * Issue 10, item 1: when a take or matte encoder (or the decoder) fails or exits early — at start,
 * mid-stream or at close — the whole job fails within a second, names the stage, shows ffmpeg's
 * own words in a line, and leaves no file. Every failure is a real ffmpeg process: one given an
 * option it rejects, one killed with SIGKILL, one writing to a read-only or full filesystem.
 */

const W = 64;
const H = 36;

function options(dir: string, ffmpeg?: string): { take: EncodeOptions; matte: EncodeOptions } {
  const common = { width: W, height: H, fps: rational(25), ...(ffmpeg && { ffmpeg: withFfmpeg(ffmpeg) }) };
  return {
    take: { ...common, output: join(dir, 'take.mov'), codec: 'prores_hq' },
    matte: { ...common, output: join(dir, 'take_matte.mov'), codec: 'prores_hq', pixelFormat: 'gray' },
  };
}

/**
 * A producer like a removal's: `frames` frames, each `ms` of "work" after the one before; the
 * work stops when its signal fires (as decoding and filling do). Records that it was stopped.
 */
function producer(frames: number, ms: number, seen: { stopped: boolean; made: number }, onFrame?: (i: number) => void | Promise<void>) {
  return async function* (signal: AbortSignal): AsyncGenerator<TakeFrame> {
    // Stopped: aborted while making a frame, or closed (return) while waiting at a yield; which of
    // the two depends on where the producer was when the encoder failed.
    let finished = false;
    try {
      for (let i = 0; i < frames; i++) {
        await sleep(ms, signal);
        seen.made = i + 1;
        await onFrame?.(i);
        yield { take: testFrame(i, W, H, 3), matte: testFrame(i, W, H, 1) };
      }
      finished = true;
    } finally {
      if (!finished) seen.stopped = true;
    }
  };
}

async function failure(run: Promise<unknown>): Promise<{ error: Error & { code?: string; hint?: string }; at: number }> {
  try {
    await run;
  } catch (error) {
    return { error: error as Error & { code?: string }, at: Date.now() };
  }
  throw new Error('expected the job to fail');
}

const onlyWrappers = (names: string[]) => names.filter((n) => !n.startsWith('ffmpeg-wrapper-'));

describe('a take or matte encoder that fails stops the whole job at once', () => {
  it('at start: the matte ffmpeg rejects an option, while the producer is still working on its first frame', async () => {
    await withTempDir(async (dir) => {
      const ffmpeg = await ffmpegWrapper(dir, { match: 'gray', inject: ['-nosuchoption', '1'] });
      const seen = { stopped: false, made: 0 };
      const started = Date.now();
      // The first frame takes 20 s to make: the failure must not wait for it.
      const { error, at } = await failure(encodeTakeAndMatte(producer(10, 20_000, seen), { ...options(dir, ffmpeg), signal: new AbortController().signal }));
      expect(at - started).toBeLessThan(3000);
      expect(error.code).toBe('FFMPEG_FAILED');
      expect(error.message).toMatch(/^the matte encoder \(take_matte\.mov\) failed: Unrecognized option 'nosuchoption'/);
      expect(error.message.split('\n')).toHaveLength(1);
      expect(seen.stopped).toBe(true);
      expect(onlyWrappers(await readdir(dir))).toEqual([]);
    });
  });

  it('at the encoder\'s opening (after the first frame): the take ffmpeg rejects an option value, and the matte encoder is stopped too', async () => {
    await withTempDir(async (dir) => {
      const ffmpeg = await ffmpegWrapper(dir, { match: 'rgb24', inject: ['-vendor', 'abcdefgh'] });
      const seen = { stopped: false, made: 0 };
      let firstFrameAt = 0;
      const { error, at } = await failure(
        encodeTakeAndMatte(producer(200, 50, seen, (i) => void (i === 0 && (firstFrameAt = Date.now()))), { ...options(dir, ffmpeg), signal: new AbortController().signal }),
      );
      expect(at - firstFrameAt).toBeLessThan(1000);
      expect(error.message).toMatch(/^the take encoder \(take\.mov\) failed: vendor ID should be 4 bytes$/);
      expect(error.hint).toBeTruthy();
      expect(seen.made).toBeLessThan(200);
      expect(seen.stopped).toBe(true);
      expect(onlyWrappers(await readdir(dir))).toEqual([]);
    });
  });

  it('mid-stream: the matte ffmpeg is killed (SIGKILL) while frames flow; the job fails within a second of the kill', async () => {
    await withTempDir(async (dir) => {
      const pidFile = join(dir, 'matte.pid');
      const ffmpeg = await ffmpegWrapper(dir, { match: 'gray', pidFile });
      const seen = { stopped: false, made: 0 };
      let killedAt = 0;
      const kill = async (i: number) => {
        if (i !== 8) return;
        process.kill(Number((await readFile(pidFile, 'utf8')).trim()), 'SIGKILL');
        killedAt = Date.now();
      };
      // After the kill the producer would go on for 100 frames of 200 ms: 20 s.
      const { error, at } = await failure(encodeTakeAndMatte(producer(108, 200, seen, kill), { ...options(dir, ffmpeg), signal: new AbortController().signal }));
      expect(killedAt).toBeGreaterThan(0);
      expect(at - killedAt).toBeLessThan(1000);
      expect(error.message).toMatch(/^the matte encoder \(take_matte\.mov\) failed.*SIGKILL/);
      expect(seen.made).toBeLessThan(20);
      expect(onlyWrappers(await readdir(dir)).filter((n) => n !== 'matte.pid')).toEqual([]);
    });
  });

  it('mid-stream: the decoder feeding the job is killed; both encoders stop and the error is the decoder\'s', async () => {
    await withTempDir(async (dir) => {
      const src = await makeClip(join(dir, 'src.mp4'), { seconds: 4, rate: '25', size: `${W}x${H}`, audio: false });
      const pidFile = join(dir, 'decoder.pid');
      const decoder = await ffmpegWrapper(dir, { match: 'src.mp4', pidFile });
      const media = await probeMedia(src);
      let killedAt = 0;
      const produce = async function* (signal: AbortSignal): AsyncGenerator<TakeFrame> {
        for await (const f of decodeFrames(media, { signal, ffmpeg: withFfmpeg(decoder) })) {
          if (f.index === 5) {
            process.kill(Number((await readFile(pidFile, 'utf8')).trim()), 'SIGKILL');
            killedAt = Date.now();
          }
          await sleep(30, signal);
          yield { take: f, matte: { ...f, channels: 1, data: new Uint8Array(W * H) } };
        }
      };
      const { error, at } = await failure(encodeTakeAndMatte(produce, { ...options(dir), signal: new AbortController().signal }));
      expect(at - killedAt).toBeLessThan(1000);
      expect(error.message).toMatch(/^decoding .*src\.mp4 failed.*SIGKILL/);
      expect(onlyWrappers(await readdir(dir)).sort()).toEqual(['decoder.pid', 'src.mp4']);
    });
  });

  it('at start: the output folder vanished after the checks; the job fails at the first frame, naming the encoder', async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, 'out');
      await import('node:fs/promises').then((fs) => fs.mkdir(out));
      const seen = { stopped: false, made: 0 };
      const removeFolder = async (i: number) => {
        if (i === 0) await rm(out, { recursive: true, force: true });
      };
      const { error } = await failure(encodeTakeAndMatte(producer(50, 20, seen, removeFolder), { ...options(out), signal: new AbortController().signal }));
      expect(error.message).toMatch(/^the (take|matte) encoder .*failed/);
      expect(seen.made).toBeLessThan(50);
    });
  });

  it.runIf(canMount)('at start: a read-only drive fails the job before the first frame is made, as CANNOT_WRITE', async () => {
    await withTempDir(async (dir) => {
      const mnt = join(dir, 'ro');
      const unmount = await mountTmpfs(mnt, 64 * 1024, { readOnly: true });
      try {
        const seen = { stopped: false, made: 0 };
        const started = Date.now();
        const { error, at } = await failure(encodeTakeAndMatte(producer(10, 20_000, seen), { ...options(mnt), signal: new AbortController().signal }));
        expect(at - started).toBeLessThan(3000);
        expect(error.code).toBe('CANNOT_WRITE');
        expect(error.message).toMatch(/read-only/);
        expect(seen.made).toBe(0);
      } finally {
        unmount();
      }
    });
  });

  it.runIf(canMount)('at close: the disk fills while ffmpeg writes the end of the file (ffmpeg itself exits 0); the job fails as DISK_FULL and leaves no torn file', async () => {
    await withTempDir(async (dir) => {
      // Sized from a real run: the same frames need about `size` bytes; leave 24 KiB less than
      // that free, so ffmpeg's last buffered writes and its index fail after its input has ended.
      const frames = 300;
      const first = options(dir);
      await encodeTakeAndMatte(producer(frames, 0, { stopped: false, made: 0 }), { take: first.take, signal: new AbortController().signal });
      const size = (await import('node:fs/promises').then((fs) => fs.stat(first.take.output))).size;
      const mnt = join(dir, 'full');
      const unmount = await mountTmpfs(mnt, size + 256 * 1024);
      try {
        fillDisk(mnt, size - 24 * 1024);
        const { take } = options(mnt);
        const { error } = await failure(encodeTakeAndMatte(producer(frames, 0, { stopped: false, made: 0 }), { take, signal: new AbortController().signal }));
        expect(error.code).toBe('DISK_FULL');
        expect(error.message).toMatch(/^the take encoder \(take\.mov\) failed: .*No space left on device/);
        expect((await readdir(mnt)).filter((n) => n !== '.filler')).toEqual([]);
      } finally {
        unmount();
      }
    });
  });

  it('a cancel stops both encoders and the producer, as CANCELLED, with nothing left', async () => {
    await withTempDir(async (dir) => {
      const abort = new AbortController();
      const seen = { stopped: false, made: 0 };
      const cancelAt = (i: number) => void (i === 5 && abort.abort());
      const { error } = await failure(encodeTakeAndMatte(producer(100, 30, seen, cancelAt), { ...options(dir), signal: abort.signal }));
      expect(error.code).toBe('CANCELLED');
      expect(seen.made).toBeLessThan(10);
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
